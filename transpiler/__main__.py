"""``python -m transpiler``: the ``tgo`` command line."""

from transpiler.fastpath import main

if __name__ == "__main__":
    main()
