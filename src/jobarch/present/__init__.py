"""What people and tools read: tables in every text format, query results, profile pages.

Data reaches a terminal or a Markdown file only through here, so it is
sanitised here: no rich markup, ANSI or OSC escapes from data are ever
interpreted, and no raw HTML passes into Markdown.
"""
