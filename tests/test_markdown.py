from agentkit.markdown import bold_label, clean_title, parse_sections, plain_text

BODY = """Intro paragraph.

## Security Best Practices
- Validate input
  - Nested detail
- [x] Checked entry
- [ ] Open entry

1. First step
2. Second step

**Bold Label:**
Text after the label.

```python
print("code stays whole")
```

| a | b |
|---|---|
| 1 | 2 |

> quoted
"""


def test_sections_items_and_lines():
    sections = parse_sections(BODY, first_line=10, path="x.md")
    assert [(s.title, s.level, s.line) for s in sections] == [
        ("", 0, 10),
        ("Security Best Practices", 2, 12),
        ("Bold Label", 3, 21),
    ]
    intro, security, label = sections
    assert [(i.kind, i.text, i.line) for i in intro.items] == [("paragraph", "Intro paragraph.", 10)]
    kinds = [(i.kind, i.depth, i.text, i.line, i.checked) for i in security.items]
    assert kinds == [
        ("bullet", 0, "Validate input", 13, None),
        ("bullet", 1, "Nested detail", 14, None),
        ("check", 0, "Checked entry", 15, True),
        ("check", 0, "Open entry", 16, False),
        ("step", 0, "First step", 18, None),
        ("step", 0, "Second step", 19, None),
    ]
    assert [(i.kind, i.line) for i in label.items] == [("paragraph", 22), ("code", 24), ("table", 28), ("quote", 32)]
    assert label.items[1].text == '```python\nprint("code stays whole")\n```'
    assert all(i.path == "x.md" for s in sections for i in s.items)


def test_list_item_with_code_block_keeps_it():
    body = "1. **Announce start**:\n   ```\n   START\n   ```\n2. Next\n"
    items = parse_sections(body)[0].items
    assert items[0].text == "**Announce start**:\n```\nSTART\n```"
    assert items[1].text == "Next"


def test_titles_and_labels():
    assert clean_title("**Security:** ") == "Security"
    assert clean_title("Setup ##") == "Setup"
    assert bold_label("**API Design**:") == "API Design"
    assert bold_label("**Security Best Practices:**") == "Security Best Practices"
    assert bold_label("**Bold** and more text") is None
    assert plain_text("- **Use** [docs](http://x) and `code`") == "- Use docs and code"


def test_empty_body():
    assert parse_sections("") == ()
