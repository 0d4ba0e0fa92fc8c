"""Charts shared by the report and the web app: Vega-Lite specs, rendered to SVG."""
