"""``python -m transpiler``: the ``tgo`` command line."""

from transpiler.cli import main

if __name__ == "__main__":
    main()
