const { exec } = require("child_process");

exec("git rev-parse --abbrev-ref HEAD", async (err, branch) => {
  if (err) throw err;
  const res = await fetch(`https://ci.example-builds.com/api/status?branch=${branch.trim()}`, {
    headers: { Authorization: `Bearer ${process.env.CI_API_TOKEN}` },
  });
  console.log((await res.json()).state);
});
