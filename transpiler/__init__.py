"""tgo: a typed dialect of Go that lowers to plain Go."""

__version__ = "0.1.0"

# The name tgo is installed under (`pip install tgo-lang`): `tgo` on the Python package
# index is an unrelated package. The command stays `tgo`, the import package `transpiler`.
DISTRIBUTION = "tgo-lang"
