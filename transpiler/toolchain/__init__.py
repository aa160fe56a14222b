"""Toolchain: finding and running the Go toolchain that builds the lowered code."""

from transpiler.goexe import (
    GO_ENV_VAR,
    GoLookup,
    ToolchainError,
    find_go,
    find_gofmt,
    goroot,
    locate_go,
    require_go,
    require_gofmt,
    run_go,
)

__all__ = [
    "GO_ENV_VAR",
    "GoLookup",
    "ToolchainError",
    "find_go",
    "find_gofmt",
    "goroot",
    "locate_go",
    "require_go",
    "require_gofmt",
    "run_go",
]
