"""Generic normalisation rules: each module is one rule, its `ID` the module's name in kebab case."""
