"""The language server ``tgo lsp``: LSP 3.17 over stdio for ``.tgo`` (and, proxied, ``.go``) files, a thin client of the library."""
