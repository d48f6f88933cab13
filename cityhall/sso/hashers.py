from django.contrib.auth.hashers import PBKDF2PasswordHasher


class ClientSecretHasher(PBKDF2PasswordHasher):
    """For OIDC client secrets only: 48 random characters need no slow hash to resist
    guessing, and the token endpoint checks one on every exchange."""

    algorithm = "client_secret_pbkdf2"
    iterations = 100
