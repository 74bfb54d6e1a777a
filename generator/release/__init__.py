"""The maintainer's release loop: what changed between two descriptions (`diff`), the package's
public API snapshot, the version and CHANGELOG that follow, the provenance stamp, and the drift check."""
