"""Content steps: what the build does to a page's front matter and Markdown, and the data they read."""
