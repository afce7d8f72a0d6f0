"""The bottom floor: limits, safe file access, map helpers, the cache folder, memo and the
input recorder that does nothing unless the CLI installs one."""
