"""``python -m minisora``: the same as the ``minisora`` command."""

from minisora.cli import main

if __name__ == "__main__":
    main()
