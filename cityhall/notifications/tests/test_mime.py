"""Notification emails written as bytes must read back exactly as a mail client sees them."""

from email import message_from_bytes, policy

from cityhall.notifications.mime import PreparedEmail, build_email


def parse(message):
    return message_from_bytes(message.message().as_bytes(linesep="\r\n"), policy=policy.default)


def test_non_ascii_subject_and_bodies_round_trip():
    subject = "Alcaldía: corte de agua en su calle — martes " * 3
    built = build_email(
        to="ana@example.org", subject=subject, text="Hola Ana, ñandú ✓",
        html="<p>Hola <b>Ana</b> ✓</p>", headers={"List-Unsubscribe": "<https://x.example/u/1/>"},
    )  # fmt: skip
    assert isinstance(built, PreparedEmail)
    parsed = parse(built)
    assert parsed["Subject"] == " ".join(subject.split())
    assert parsed["To"] == "ana@example.org"
    assert parsed["List-Unsubscribe"] == "<https://x.example/u/1/>"
    assert parsed.get_body(("plain",)).get_content().strip() == "Hola Ana, ñandú ✓"
    assert parsed.get_body(("html",)).get_content().strip() == "<p>Hola <b>Ana</b> ✓</p>"
    assert all(len(line) <= 998 for line in built.message().as_bytes().split(b"\n"))


def test_a_subject_cannot_inject_headers():
    built = build_email(
        to="ana@example.org", subject="Hi\r\nBcc: everyone@example.org", text="x", html="",
        headers={},
    )  # fmt: skip
    parsed = parse(built)
    assert parsed["Bcc"] is None
    assert parsed["Subject"] == "Hi Bcc: everyone@example.org"


def test_an_address_that_is_not_ascii_goes_through_djangos_own_builder():
    built = build_email(to="josé@ejemplo.es", subject="Hola", text="x", html="<p>x</p>",
                        headers={})  # fmt: skip
    assert not isinstance(built, PreparedEmail)
    assert "Hola" in built.message().as_string()
