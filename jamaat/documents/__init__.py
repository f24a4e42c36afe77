"""Document rendering for Jamaat (plans, later protocols, posters, reports).

Pure Python, no Django imports: callers build plain dataclasses and get bytes
back (DOCX via python-docx, PDF via typst, XLSX via openpyxl). Fonts are
vendored in ``fonts/`` (DejaVu, see ``fonts/LICENSE``) so that the Kyrgyz
letters ң ө ү render without any system font package.
"""
