"""A chart folder or archive -> the Chart model: Chart.yaml, .helmignore, archives, the loader."""
