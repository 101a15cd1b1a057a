"""The performance report: layouts as data, one context, HTML and PDF from one template."""
