"""tgo: a typed dialect of Go that lowers to plain Go."""

__version__ = "0.1.0"

# The name tgo is installed under (`pip install tgo-lang`): `tgo` on the Python package
# index is an unrelated package. The command stays `tgo`, the import package `transpiler`.
DISTRIBUTION = "tgo-lang"


def compiled() -> bool:
    """Whether the pipeline is the one compiled with mypyc (hatch_build.py), not pure Python:
    what Python imports for the parser is an extension module."""
    from importlib.machinery import EXTENSION_SUFFIXES
    from importlib.util import find_spec

    spec = find_spec("transpiler.syntax.parser")
    return spec is not None and (spec.origin or "").endswith(tuple(EXTENSION_SUFFIXES))
