"""Writing outputs without ever destroying or reading what the generator did not write: its own
output recognised by its stamp (`ownership`), links and special files never followed (`reading`),
every output of a run prepared beside its place and swapped in together (`commit`), from a staging
folder that a later run removes once its owner is dead (`staging`)."""
