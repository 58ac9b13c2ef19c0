const { spawn } = require("child_process");
const url = process.argv[2];
const p = spawn("yt-dlp", ["-x", "--audio-format", "m4a", "-o", "audio.%(ext)s", url], {
  env: { ...process.env, NO_COLOR: "1" },
  stdio: "inherit",
});
p.on("exit", (code) => process.exit(code ?? 1));
