#!/usr/bin/env python
from cityhall.cli import main

if __name__ == "__main__":
    main()
