"""Values files, the `--set` grammar, merge and coalesce, dependency conditions and
import-values, schema checks and environments -> the values a render sees."""
