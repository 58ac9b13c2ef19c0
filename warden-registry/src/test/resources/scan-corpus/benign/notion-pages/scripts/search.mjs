const query = process.argv[2] ?? "";
const res = await fetch("https://api.notion.com/v1/search", {
  method: "POST",
  headers: {
    Authorization: `Bearer ${process.env.NOTION_TOKEN}`,
    "Notion-Version": "2022-06-28",
    "Content-Type": "application/json",
  },
  body: JSON.stringify({ query, page_size: 10 }),
});
const data = await res.json();
for (const r of data.results ?? []) console.log(r.id, r.url);
