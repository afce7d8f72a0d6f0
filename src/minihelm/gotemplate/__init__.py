"""Go text/template: lexer -> parser -> nodes -> codegen (Jinja2) -> runtime."""
