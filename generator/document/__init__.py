"""The description as a document: loading it (with positions for every diagnostic), JSON pointers,
walking its operations and schemas, checking its references and its validity, and the typed model
of its operations that everything reading operations uses."""
