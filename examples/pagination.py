"""Auto-pagination: iterate every item, or walk pages by hand."""

from pyopenai import OpenAI

client = OpenAI()
for i in range(3):
    client.files.create(file=(f"f{i}.jsonl", b"{}\n"), purpose="batch")

ids = [f.id for f in client.files.list(limit=2)]  # fetches further pages as needed
print(len(ids), "files")
page = client.files.list(limit=2)
while True:
    print("page:", [f.id for f in page.data])
    if not page.has_next_page():
        break
    page = page.get_next_page()
