"""ld-releases toolchain: normalise an OpenAPI description, then render a Python client from it."""
