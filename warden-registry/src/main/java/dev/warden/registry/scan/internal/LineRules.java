package dev.warden.registry.scan.internal;

import static java.util.regex.Pattern.CASE_INSENSITIVE;

import dev.warden.registry.scan.Rule;
import dev.warden.registry.scan.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Line-oriented rules over commands (in scripts, code blocks and inline code) and over Markdown
 * prose (instructions the model reads).
 *
 * <p>Context decides severity. A command that pipes a download into a shell is a finding; a
 * {@code curl} that calls an API is not. A secret path in a script is a finding; the same path
 * mentioned in documentation is only one when the line also reads, copies or sends it. Prose
 * phrases inside quotes ("attackers write 'ignore previous instructions'") are examples, reported as
 * LOW.
 */
public final class LineRules {
  private LineRules() {}

  private static Pattern p(String regex) {
    return Pattern.compile(regex, CASE_INSENSITIVE);
  }

  // --- execution -------------------------------------------------------------------------------
  private static final String SHELLS = "(?:sudo\\s+(?:-\\S+\\s+)*)?(?:/usr)?(?:/bin/)?(?:ba|z|k|da|fi|a)?sh\\b";
  private static final String INTERPRETERS = "(?:sudo\\s+)?(?:python[0-9.]*|node|perl|ruby|php|osascript)\\b";
  private static final String DOWNLOADERS = "\\b(?:curl|wget|fetch|aria2c|lwp-download|iwr|irm|invoke-webrequest|invoke-restmethod|http(?:ie)?)\\b";
  private static final Pattern PIPE_TO_SHELL = p(DOWNLOADERS + "[^|\\n]*(?:\\|[^|\\n]*)?\\|\\s*(?:" + SHELLS + "|" + INTERPRETERS + "(?!\\s+-m\\s+json))");
  private static final Pattern SUBSHELL_DOWNLOAD = p(
      "(?:\\b(?:ba|z)?sh\\s+(?:-\\w+\\s+)*(?:-c\\s+)?[\"']?\\$\\(\\s*(?:curl|wget)|<\\(\\s*(?:curl|wget)|\\b(?:source|eval)\\s+[\"']?\\$\\(\\s*(?:curl|wget)"
      + "|(?:python[0-9.]*|node|nodejs|deno|perl|ruby|php)\\s+-[ce]\\s+[\"']?\\$\\(\\s*(?:curl|wget))");
  private static final Pattern DECODE_TO_SHELL = p(
      "(?:base64\\s+(?:-\\w*d\\w*|--decode)|b64decode|xxd\\s+-r|openssl\\s+(?:base64|enc)\\b[^|\\n]*\\s-d\\b|\\|\\s*rev\\s*)[^\\n]*?\\|\\s*(?:" + SHELLS + "|" + INTERPRETERS + ")"
      + "|\\b(?:ba|z)?sh\\s+-c\\s+[\"']?\\$\\((?:echo|printf)[^)]*\\|\\s*(?:base64|xxd)");
  private static final Pattern PS_IEX = p("\\b(?:iex|invoke-expression)\\b");
  private static final Pattern PS_DOWNLOAD = p("\\b(?:iwr|irm|invoke-webrequest|invoke-restmethod|downloadstring|downloadfile|net\\.webclient|frombase64string|start-bitstransfer)\\b");
  private static final Pattern PS_ENCODED = p("\\b(?:powershell|pwsh)(?:\\.exe)?\\b[^\\n]*\\s-e(?:nc|ncodedcommand)?\\s+[A-Za-z0-9+/=]{40,}");
  private static final Pattern LOLBIN = p("\\bmshta(?:\\.exe)?\\s+(?:https?|javascript|vbscript):|\\bregsvr32\\b[^\\n]*/i:https?|\\bcertutil(?:\\.exe)?\\s+[^\\n]*-urlcache|\\bpowershell\\b[^\\n]*-w(?:indowstyle)?\\s+hidden");
  private static final Pattern PASSWORD_ARCHIVE = p(
      "\\bunzip\\s+(?:-\\S+\\s+)*-P\\s*\\S+|\\b7z[a-z]?(?:\\.exe)?\\s+[xe]\\b[^\\n]*\\s-p\\S*|\\bunrar\\s+[xe]\\b[^\\n]*\\s-p\\S+"
      + "|\\bpassword\\s*(?:is|[:=])?\\s*[\"'`*]*(?:infected|malware|virus)\\b"
      + "|\\b(?:archive|zip|rar|7z|7-zip)\\s+password\\b|\\bpassword[- ]protected\\s+(?:archive|zip|rar|7z|file)"
      + "|\\b(?:extract|unzip|unpack|open)\\b[^.\\n]{0,60}\\b(?:with|using)\\s+(?:the\\s+)?password\\b");
  private static final Pattern DOWNLOAD_TO_FILE = p("\\b(?:curl\\b[^|\\n]*\\s-(?:o|O|-output|-remote-name)\\b|wget\\b|invoke-webrequest\\b[^\\n]*-outfile|iwr\\b[^\\n]*-outfile|urlretrieve\\s*\\()");
  private static final Pattern MAKE_EXECUTABLE = p("\\bchmod\\s+(?:[0-7]*[157][0-7]*|[ugoa]*\\+x)\\b|\\bstart-process\\b|\\bopen\\s+-a\\b|os\\.chmod\\(|\\bxattr\\s+-d\\s+com\\.apple\\.quarantine");
  private static final Pattern RUN_LOCAL_FILE = p("(?:^|[;&|]\\s*|`|\\s)(?:\\./|/tmp/|\\$TMPDIR/|~/\\S+\\s*$)[\\w./-]+|\\b(?:ba)?sh\\s+/tmp/|\\bsudo\\s+(?:\\./|/tmp/)");
  private static final Pattern DOWNLOADED_NAME = p("(?:\\s-o|\\s--output|\\s-O|-outfile|>)\\s*[\"']?([^\\s\"';&|()]+)");
  private static final Pattern RUNS_FILE = p("\\b(?:ba|z|k|da)?sh\\s|\\bsource\\s|^\\s*\\.\\s|\\bpython[0-9.]*\\s|\\bnode\\s|\\bperl\\s|\\bruby\\s|\\bchmod\\s|\\./|\\bstart-process\\b|\\bpowershell\\b[^\\n]*-file|\\bopen\\s");
  private static final Pattern DNS_EXFIL = p("\\b(?:nslookup|dig|host|drill|resolvectl\\s+query)\\s+(?:[+-]\\S+\\s+)*[\"']?[^\\s\"']*(?:\\$\\(|`|\\$\\{?[a-z_])[^\\n]*\\.[a-z]{2,}");
  private static final Pattern COMMAND_SPLIT = Pattern.compile("&&|\\|\\||;|\\|");
  private static final Pattern CHECKSUM = p("\\b(?:sha256sum|shasum\\s+-a\\s*256|sha256|get-filehash|--checksum|hashlib\\.sha256|cosign\\s+verify|gpg\\s+--verify|minisign)\\b");
  private static final Pattern EXEC_DOWNLOADED = p(
      "\\b(?:exec|eval)\\s*\\(\\s*(?:requests|urllib\\S*|urlopen|httpx|http\\.client|\\(?\\s*await\\s+(?:\\(\\s*await\\s+)?fetch|fetch|axios|got)\\b"
      + "|\\.then\\s*\\(\\s*eval\\s*\\)|\\bnew\\s+Function\\s*\\([^)]*(?:fetch|responseText|\\.text\\(\\))"
      + "|\\bbash\\s+-i\\s*>&\\s*/dev/tcp/|/dev/tcp/[\\w.]+/\\d+\\s*0?>&|\\b(?:nc|ncat|netcat)\\b[^\\n]*\\s-(?:e|c)\\s+\\S*(?:sh|cmd)\\b"
      + "|\\bsocat\\b[^\\n]*\\bexec:|socket\\.socket\\([^\\n]*\\b(?:subprocess|pty\\.spawn|os\\.dup2)"
      + "|\\bos\\.dup2\\s*\\(\\s*\\w+\\.fileno\\(\\)|pty\\.spawn\\(\\s*[\"']/bin/(?:ba)?sh");

  // --- credentials -----------------------------------------------------------------------------
  private static final Pattern ENV_HARVEST = p(
      "(?:^|[\\s;&|(])(?:printenv|env)\\s*(?:\\|(?!\\s*(?:grep|rg|egrep)\\s)|>{1,2}\\s*[\\w/~$\"'])|\\$\\(\\s*(?:env|printenv)\\s*\\)|`(?:env|printenv)`"
      + "|\\b(?:json\\.dumps|str|repr|print|pprint|yaml\\.dump|base64\\.b64encode)\\s*\\(\\s*(?:dict\\s*\\(\\s*)?os\\.environ\\b(?!\\s*[\\[.])"
      + "|\\bos\\.environ\\.(?:items|keys|values)\\s*\\(|\\bfor\\s+\\w+(?:\\s*,\\s*\\w+)?\\s+in\\s+os\\.environ\\b|\\bdict\\s*\\(\\s*os\\.environ\\s*\\)"
      + "|\\bJSON\\.stringify\\s*\\(\\s*process\\.env\\s*[),]|\\bObject\\.(?:entries|keys|values|assign\\s*\\(\\s*\\{\\s*\\}\\s*,)\\s*\\(?\\s*process\\.env\\b"
      + "|\\bconsole\\.log\\s*\\(\\s*process\\.env\\s*\\)|\\bfor\\s*\\(\\s*(?:const|let|var)\\s+\\w+\\s+in\\s+process\\.env\\b"
      + "|\\b(?:gci|get-childitem|dir|ls)\\s+env:|\\[(?:system\\.)?environment\\]::getenvironmentvariables\\s*\\(|\\bENV\\.(?:to_h|each|to_a)\\b"
      + "|\\bexport\\s+-p\\s*(?:\\||>)|/proc/(?:self|\\d+|\\$\\$)/environ");
  private static final Pattern SECRET_PATH = p(
      "(?:~|\\$home|\\$\\{home\\}|%userprofile%|home\\(\\)|expanduser|homedir|/root|/home/\\w+|[\"'])?[/\\\\]?\\.(?:ssh(?:[/\\\\\"']|\\b)|aws[/\\\\\"']|aws\\b|gnupg\\b|kube[/\\\\]config|docker[/\\\\]config\\.json|netrc\\b|git-credentials\\b|npmrc\\b|pypirc\\b|azure[/\\\\])"
      + "|\\bid_(?:rsa|dsa|ecdsa|ed25519)\\b|\\.config[/\\\\]gh[/\\\\]hosts\\.yml|\\.pgpass\\b|\\.my\\.cnf\\b|gcloud[/\\\\](?:credentials\\.db|application_default_credentials|access_tokens)|/etc/shadow\\b"
      + "|\\bsecurity\\s+(?:find-generic-password|find-internet-password|dump-keychain)\\b|\\bkeychain-db\\b|wallet\\.dat\\b|\\.electrum\\b|solana/id\\.json|\\bkeystore/UTC--");
  private static final Pattern BROWSER_PROFILE = p(
      "login\\s?data\\b|logins\\.json|\\bkey[34]\\.db\\b|cookies\\.sqlite|[/\\\\](?:default|profile\\s?\\d+)[/\\\\](?:network[/\\\\])?cookies\\b|\\blocal\\s?state\\b[\"']?\\s*[),]|\\bweb\\s?data\\b[\"']?\\s*[),]"
      + "|formhistory\\.sqlite|firefox[/\\\\]profiles|\\.mozilla[/\\\\]firefox|browser_cookie3|\\bpasswords\\.csv\\b|chrome[/\\\\]user\\s?data[/\\\\]default\\b|\\bcookies\\b[\"']?\\s*\\)\\s*$");
  private static final Pattern AGENT_STATE = p(
      "(?:~|\\$home|\\$\\{home\\}|%userprofile%|home\\(\\)|expanduser\\([\"']~|homedir\\(\\)|[\"'])[/\\\\]?\\.(?:openclaw|clawdbot|moltbot|warden)\\b|\\bWARDEN_HOME\\b|\\.(?:openclaw|clawdbot|moltbot)[/\\\\](?:credentials|agents|auth|sessions)");
  private static final Pattern AGENT_STATE_SENSITIVE = p(
      "credentials|auth(?:-profiles)?|sessions?|secrets?|tokens?|vault|\\.env\\b|state\\.db|openclaw\\.json|clawdbot\\.json|MEMORY\\.md|SOUL\\.md|\\*|\\bos\\.walk|\\bglob|\\brglob|\\btar\\b|\\bzip\\b|\\bcp\\s+-r|\\brsync\\b|\\bscp\\b|\\bcurl\\b|\\bnc\\b");
  /** Where a skill may legitimately keep its own files inside the agent's state directory. */
  private static final Pattern AGENT_STATE_OWN_AREA = p("\\.(?:openclaw|clawdbot|moltbot|warden)[/\\\\](?:skills|workspace|tools|cache)[/\\\\]");
  private static final Pattern READ_VERB = p(
      "\\b(?:cat|cp|scp|rsync|tar|zip|7z|base64|xxd|head|tail|less|more|strings|sqlite3|open|read_text|read_bytes|readfile(?:sync)?|get-content|type|copy|collect|gather|grab|upload|send|exfiltrate|attach|include|extract|steal|dump|archive|post|read)\\b|<\\s*~");
  public static final Pattern NETWORK_SEND = p(
      "\\bcurl\\b[^\\n]*(?:\\s-(?:d|F|T)\\b|--data|--form|--upload-file|-X\\s*(?:POST|PUT)|--json)|\\bwget\\b[^\\n]*--post-(?:data|file)"
      + "|\\b(?:nc|ncat|netcat|socat|telnet)\\s+(?:-\\w+\\s+)*[\\w.-]+\\s+\\d{2,5}|/dev/(?:tcp|udp)/|\\brequests\\.(?:post|put|patch)\\s*\\(|\\bhttpx\\.(?:post|put)\\s*\\(|\\burlopen\\s*\\([^)]*data="
      + "|\\burllib\\.request\\.Request\\s*\\([^)]*data=|\\bfetch\\s*\\([^)]*method\\s*:\\s*[\"'](?:POST|PUT)|\\bmethod\\s*:\\s*[\"'](?:POST|PUT)[\"']|\\baxios\\.(?:post|put)\\s*\\("
      + "|\\bsmtplib\\b|\\bsendmail\\b|\\binvoke-(?:webrequest|restmethod)\\b[^\\n]*-(?:method\\s+post|body|infile)|\\bscp\\s+\\S+\\s+\\S+@[\\w.-]+:|\\bsocket\\.(?:connect|send)|\\.sendall\\s*\\("
      + "|\\bXMLHttpRequest\\b|navigator\\.sendBeacon|\\bhttp\\.request\\s*\\(|\\bftp\\b[^\\n]*\\bput\\b|\\bgit\\s+push\\b[^\\n]*https?://");
  public static final Pattern NETWORK_USE = p(
      "\\b(?:curl|wget|nc|ncat|netcat|socat|telnet|ssh|scp|rsync|ftp|aria2c)\\b|/dev/(?:tcp|udp)/|\\b(?:requests|httpx|aiohttp|urllib3?|http\\.client|urlopen|socket|smtplib|ftplib|paramiko)\\b"
      + "|\\bfetch\\s*\\(|\\baxios\\b|\\bXMLHttpRequest\\b|\\bhttps?\\.(?:get|request)\\s*\\(|\\bnode-fetch\\b|\\bundici\\b|\\bWebSocket\\b|\\binvoke-(?:webrequest|restmethod)\\b|\\b(?:iwr|irm)\\b|net\\.webclient|https?://");

  // --- obfuscation -----------------------------------------------------------------------------
  private static final Pattern EVAL_DECODED = p(
      "\\b(?:exec|eval)\\s*\\(\\s*(?:compile\\s*\\()?[^)\\n]{0,40}?(?:b64decode|b32decode|a85decode|base64|codecs\\.decode|bytes\\.fromhex|fromhex|zlib\\.decompress|gzip\\.decompress|lzma\\.decompress|marshal\\.loads|unhexlify|\\.decode\\s*\\(|atob|Buffer\\.from|String\\.fromCharCode|unescape|decodeURIComponent|rot13|chr\\s*\\(|\\[::-1\\]|\\.reverse\\(\\))"
      + "|\\b(?:os\\.system|os\\.popen|subprocess\\.\\w+|execSync|spawnSync|shell_exec|system|popen)\\s*\\(\\s*[^)\\n]{0,40}?(?:b64decode|fromhex|decompress|unhexlify|atob|Buffer\\.from|base64_decode)"
      + "|\\b(?:new\\s+)?Function\\s*\\(\\s*(?:atob|Buffer\\.from|String\\.fromCharCode|unescape|decodeURIComponent)"
      + "|\\beval\\s+[\"']?\\$\\(\\s*(?:echo|printf)[^)]*(?:base64|xxd|\\\\x[0-9a-f]{2}|rev\\b)|\\beval\\s+[\"']?\\$\\([^)]*base64\\s+(?:-\\w*d|--decode)"
      + "|__import__\\s*\\(\\s*[\"']base64[\"']\\s*\\)[^\\n]*\\b(?:exec|eval)\\b|\\bexec\\s*\\(\\s*__import__"
      + "|\\b(?:ba)?sh\\s+-c\\s+[\"']?\\$\\(\\s*printf\\s+[\"']?(?:\\\\x[0-9a-f]{2}){4,}");
  private static final Pattern DECODE_CALL = p("\\b(?:b64decode|b32decode|bytes\\.fromhex|unhexlify|zlib\\.decompress|marshal\\.loads|atob|codecs\\.decode)\\s*\\(|Buffer\\.from\\s*\\([^)]*[\"'](?:base64|hex)[\"']|fromcharcode|base64\\s+(?:-d|--decode)");
  private static final Pattern EVAL_VARIABLE = p("\\b(?:exec|eval)\\s*\\(\\s*[a-z_]\\w*\\s*(?:\\)|,)|\\bnew\\s+Function\\s*\\(\\s*[a-z_]\\w*\\s*\\)|\\beval\\s+[\"']?\\$\\{?[a-z_]\\w*");
  private static final Pattern EVAL_VARIABLE_JS = p("\\beval\\s*\\(\\s*[a-z_$][\\w$]*\\s*\\)|\\bnew\\s+Function\\s*\\(\\s*[a-z_$][\\w$]*\\s*\\)|\\bvm\\.runIn\\w*Context\\s*\\(\\s*[a-z_$][\\w$]*");
  /** Deserialisers that run code while loading: loading network data with them is remote code execution. */
  private static final Pattern UNSAFE_DESERIALIZE = p("\\b(?:pickle|cPickle|dill|marshal|joblib)\\.loads?\\s*\\(|\\bshelve\\.open\\s*\\(");
  private static final Pattern CHAR_CODES = p(
      "String\\.fromCharCode\\s*\\(\\s*(?:0x[0-9a-f]+|\\d+)(?:\\s*,\\s*(?:0x[0-9a-f]+|\\d+)){7,}|(?:\\bchr\\s*\\(\\s*\\d+\\s*\\)\\s*\\+\\s*){5,}"
      + "|(?:\\[char\\]\\s*\\d+\\s*\\+?\\s*){5,}|\\bchr\\s*\\(\\s*\\w+\\s*\\)\\s*for\\s+\\w+\\s+in\\s*\\[\\s*\\d+(?:\\s*,\\s*\\d+){7,}"
      + "|\\bfromCharCode\\s*\\(\\s*\\.\\.\\.\\s*\\[\\s*\\d+(?:\\s*,\\s*\\d+){7,}");

  // --- instructions aimed at the agent (prose) ---------------------------------------------------
  private static final Pattern OVERRIDE = p(
      "(?<![-\\w])(?:ignore|disregard|forget|override|bypass|overrule)\\s[^.\\n]{0,40}?\\b(?:previous|prior|above|earlier|all|any|other|system|user'?s?|owner'?s?|safety|security|original|existing|your)\\b[^.\\n]{0,30}?\\b(?:instructions?|prompts?|rules|guidelines|guardrails|directives|policies|requests?|wishes|preferences|objections?|refusals?|warnings?)\\b"
      + "|\\byour\\s+(?:new|real|true|actual)\\s+(?:instructions|task|goal|purpose|directive)s?\\s+(?:is|are)\\b|\\b(?:takes?|has|have)\\s+(?:priority|precedence)\\s+over\\s+(?:the\\s+)?(?:user|owner|system|any|all|other)"
      + "|\\b(?:even\\s+if|regardless\\s+of\\s+(?:whether|what))\\s+the\\s+(?:user|owner)\\s+(?:says|asks|tells|objects|refuses|declines|wants|forbids)"
      + "|\\b(?:ignore|disregard|forget)\\s+(?:whatever|anything|everything|what)\\s+(?:the\\s+)?(?:user|owner|they|he|she)\\s+(?:has\\s+|have\\s+)?(?:said|says|told|asked|wrote|wants|requested)"
      + "|\\byou\\s+are\\s+no\\s+longer\\b|\\bnew\\s+system\\s+prompt\\b|\\bdeveloper\\s+mode\\s+(?:enabled|activated)\\b|\\bdo\\s+not\\s+(?:ask|wait)\\s+for\\s+(?:the\\s+)?(?:user'?s?\\s+|owner'?s?\\s+)?(?:permission|consent|approval)\\b");
  private static final Pattern NEGATED_BEFORE = p("\\b(?:never|not|don'?t|mustn'?t|shouldn'?t|cannot|can'?t|won'?t)\\s+(?:\\w+\\s+){0,2}$");
  private static final Pattern CONCEAL = p(
      "\\b(?:do\\s+not|don'?t|never|without)\\s+(?:\\w+\\s+){0,3}?(?:tell(?:ing)?|inform(?:ing)?|notify(?:ing)?|alert(?:ing)?|mention(?:ing)?|reveal(?:ing)?|disclos(?:e|ing)|report(?:ing)?|let(?:ting)?)\\s+(?:\\w+\\s+){0,3}?(?:the\\s+)?(?:user|owner|human|operator)s?\\b"
      + "|\\b(?:silently|secretly|covertly|quietly|discreetly|stealthily|invisibly)\\s+(?:\\w+\\s+)?(?:run|execute|send|upload|install|add|append|write|post|copy|download|forward|delete|modify|exfiltrate|transmit|include|create|schedule|save|store|collect|read)\\b"
      + "|\\b(?:hide|conceal|mask)\\s+(?:this|these|it|them|that|the\\s+\\w+(?:\\s+\\w+)?)\\s+from\\s+(?:the\\s+)?(?:user|owner|human|logs?)\\b"
      + "|\\b(?:user|owner|human)\\s+(?:must|should|need)\\s+(?:not|never)\\s+(?:know|see|find\\s+out|notice|be\\s+told|be\\s+aware)\\b"
      + "|\\b(?:without|before)\\s+the\\s+(?:user|owner)\\s+(?:noticing|knowing|finding\\s+out|seeing)\\b"
      + "|\\bkeep\\s+(?:this|it|that)\\s+between\\s+(?:us|you\\s+and\\s+me)|\\bkeep\\s+(?:this|these)\\s+(?:steps?|actions?|instructions?|requests?)\\s+(?:secret|hidden|private|to\\s+yourself)"
      + "|\\b(?:delete|remove|clear|erase|wipe)\\s+(?:the\\s+|any\\s+|all\\s+)?(?:evidence|traces?|command\\s+history|shell\\s+history|audit\\s+log)\\b|\\bhistory\\s+-c\\b|\\bunset\\s+HISTFILE\\b|\\bHISTFILE=/dev/null");
  private static final Pattern SEND_VERB = p("\\b(?:send|sends|sending|post|posting|upload|uploading|forward|forwarding|transmit|exfiltrate|submit|beacon|report|copy|sync|mirror|leak|share|deliver|pipe)\\b");
  private static final Pattern SENSITIVE_OBJECT = p(
      "\\b(?:conversations?|chat\\s+(?:history|logs?|transcripts?)|transcripts?|memory|memories|MEMORY\\.md|USER\\.md|SOUL\\.md|credentials?|secrets?|tokens?|api[\\s_-]?keys?|passwords?|env(?:ironment)?\\s+(?:variables|vars)|\\.env\\b|ssh\\s+keys?|private\\s+keys?|cookies|system\\s+prompt"
      + "|(?:all|the)\\s+(?:of\\s+the\\s+)?(?:user'?s?\\s+)?(?:personal\\s+)?(?:data|files|documents|messages|emails)|everything\\s+(?:you|the\\s+user)|(?:full|entire|whole|complete)\\s+(?:context|conversation|history|workspace|directory|home)|wallet|seed\\s+phrase|mnemonic)\\b");
  private static final Pattern AGENT_FILE = p("\\b(?:MEMORY|AGENTS|SOUL|USER|TOOLS|IDENTITY|HEARTBEAT|BOOTSTRAP)\\.md\\b|\\bmemory/\\d{4}-\\d{2}-\\d{2}\\.md\\b");
  private static final Pattern WRITE_VERB = p("\\b(?:write|writes|append|appends|add|adds|insert|inserts|modify|modifies|edit|edits|update|updates|overwrite|overwrites|replace|replaces|change|changes|prepend|inject|rewrite|save)\\b");
  private static final Pattern INJECTION_MARKER = p(
      "\\b(?:always|never|from\\s+now\\s+on|every\\s+(?:time|session|conversation|startup|run)|on\\s+(?:every\\s+)?startup|trust(?:ed)?|ignore|obey|remember\\s+that|do\\s+not|don'?t|without\\s+asking|authori[sz]ed|permission|https?://|curl|wget|execute|run\\s+the|this\\s+skill)\\b");
  private static final Pattern AGENT_FILE_WRITE_CODE = p(
      "(?:>>?|\\btee\\s+(?:-a\\s+)?)\\s*[\"']?[^\\s|;&\"']*\\b(?:MEMORY|AGENTS|SOUL|USER|TOOLS|IDENTITY|HEARTBEAT|BOOTSTRAP)\\.md"
      + "|\\bopen\\s*\\([^)\\n]*(?:MEMORY|AGENTS|SOUL|USER|TOOLS|IDENTITY|HEARTBEAT|BOOTSTRAP)\\.md[\"']?[^)\\n]*,\\s*[\"'][aw]"
      + "|\\b(?:appendFile|writeFile)(?:Sync)?\\s*\\([^)\\n]*(?:MEMORY|AGENTS|SOUL|USER|TOOLS|IDENTITY|HEARTBEAT|BOOTSTRAP)\\.md"
      + "|(?:MEMORY|AGENTS|SOUL|USER|TOOLS|IDENTITY|HEARTBEAT|BOOTSTRAP)\\.md[\"']?\\s*\\)?\\s*\\.(?:write_text|open\\s*\\(\\s*[\"'][aw])|\\b(?:add-content|set-content|out-file)\\b[^\\n]*(?:MEMORY|AGENTS|SOUL|USER|TOOLS)\\.md");
  private static final Pattern PERSISTENCE = p(
      "\\bcrontab\\s+(?:-\\s*(?:$|[;&|)\"'`])|(?!-[lerui]\\b)[\\w./~$-]+\\s*(?:$|[;&|)\"'`]))|\\|\\s*crontab\\b|@reboot\\b|/etc/cron\\.(?:d|daily|hourly|weekly)\\b|/var/spool/cron"
      + "|>>?\\s*[\"']?(?:~|\\$home|\\$\\{home\\})?[/\\w.-]*\\.(?:bashrc|zshrc|bash_profile|profile|zprofile|zshenv|zlogin|bash_login)\\b"
      + "|\\blaunchctl\\s+(?:load|bootstrap|submit|enable)\\b|library/launch(?:agents|daemons)/|\\bsystemctl\\s+(?:--user\\s+)?(?:enable|daemon-reload)\\b|\\.config/systemd/user/"
      + "|\\.config/autostart/|/etc/rc\\.local\\b|/etc/profile\\.d/|/etc/init\\.d/"
      + "|\\bschtasks(?:\\.exe)?\\s+/create\\b|currentversion\\\\+run\\b|>>\\s*[\"']?(?:~|\\$home)?/?\\.ssh/authorized_keys|\\bstartup\\s+items?\\b[^\\n]*\\badd\\b"
      + "|\\b(?:ba|z)shrc\\b[^\\n]*\\b(?:append|add|write)|\\bwrite[^\\n]{0,40}\\.(?:bashrc|zshrc|profile)\\b");
  private static final Pattern PERSISTENCE_ALWAYS = p(
      "@reboot|launchctl|launch(?:agents|daemons)|systemctl|systemd|schtasks|currentversion|authorized_keys|/etc/cron|/var/spool/cron|autostart|rc\\.local|profile\\.d|init\\.d");
  private static final Pattern PERSISTENCE_PAYLOAD = p(
      "\\b(?:curl|wget|nc|ncat|socat|base64|xxd|python[0-9.]*\\s+-c|osascript|nohup)\\b|https?://|/dev/tcp|(?:/tmp|/var/tmp|/dev/shm)/\\.[\\w-]|(?:~|\\$home)/\\.[\\w-]+/\\.[\\w-]|&\\s*['\"]?\\s*$|>\\s*/dev/null\\s+2>&1\\s*&");
  private static final Pattern PERSISTENCE_PROSE = p(
      "\\b(?:add|create|install|register|set\\s+up|schedule)\\s+(?:a\\s+|an\\s+)?(?:new\\s+)?(?:hidden\\s+)?(?:cron\\s*job|crontab\\s+entry|scheduled\\s+task|launch\\s+agent|login\\s+item|startup\\s+item|systemd\\s+service)");

  /** Runs the per-line rules over one file. {@code units} collects per-unit facts for combinations. */
  /**
   * Longest line (or prose paragraph) the rules read, in characters. Some expressions are linear per
   * match start, so a multi-megabyte line of repeated keywords would cost quadratic time; the
   * start of a longer line is checked and WS002 notes the cut. Minified code is the usual victim.
   */
  public static final int MAX_RULE_LINE_CHARS = 16 * 1024;

  public static void scan(SourceFile f, Findings out, Map<Integer, UnitFacts> units) {
    boolean script = f.isCode();
    boolean md = f.isMarkdown();
    for (SourceFile.Line line : f.lines) {
      String t = line.text();
      if (t.isBlank()) {
        continue;
      }
      if (t.length() > MAX_RULE_LINE_CHARS) {
        out.add(Rule.WS002, f.path, line.number(), "line of " + t.length() + " characters; only the first "
            + MAX_RULE_LINE_CHARS + " were checked by the command rules (MAX_RULE_LINE_CHARS)");
        t = t.substring(0, MAX_RULE_LINE_CHARS);
      }
      UnitFacts u = units.computeIfAbsent(line.unit(), k -> new UnitFacts());
      if (line.code()) {
        commandRules(f, line, t, line.number(), script, out, u);
      }
    }
    if (md) {
      List<Paragraph> paragraphs = paragraphs(f);
      for (int i = 0; i < paragraphs.size(); i++) {
        proseRules(f, paragraphs.get(i), i + 1 < paragraphs.size() ? paragraphs.get(i + 1).text : "", out);
      }
    }
  }

  /** Consecutive prose lines read as one sentence-bearing unit; list items and quotes start anew. */
  record Paragraph(String text, int[] lineAt, int firstLine) {
    int lineOf(int offset) {
      return lineAt[Math.max(0, Math.min(offset, lineAt.length - 1))];
    }
  }

  private static final Pattern NEW_BLOCK = Pattern.compile("^\\s*(?:[-*+]\\s|\\d+[.)]\\s|>|#|\\||<!--)");

  static List<Paragraph> paragraphs(SourceFile f) {
    List<Paragraph> out = new ArrayList<>();
    StringBuilder b = new StringBuilder();
    List<Integer> lines = new ArrayList<>();
    Runnable flush = () -> {
      if (!b.isEmpty()) {
        int[] at = new int[b.length()];
        int pos = 0;
        for (int k = 0; k < lines.size(); k += 2) {
          int end = lines.get(k);
          while (pos < end && pos < at.length) {
            at[pos++] = lines.get(k + 1);
          }
        }
        out.add(new Paragraph(b.toString(), at, lines.get(1)));
        b.setLength(0);
        lines.clear();
      }
    };
    for (SourceFile.Line line : f.lines) {
      String t = line.text();
      if (!line.prose() || t.isBlank() || NEW_BLOCK.matcher(t).find() && !t.strip().startsWith("<!--") && !b.isEmpty()) {
        flush.run();
        if (!line.prose() || t.isBlank()) {
          continue;
        }
      }
      if (!b.isEmpty()) {
        b.append(' ');
      }
      b.append(t);
      lines.add(b.length());
      lines.add(line.number());
    }
    flush.run();
    return out;
  }

  /** Facts gathered per unit (script file or Markdown section) for rules that combine lines. */
  public static final class UnitFacts {
    int credentialLine;
    String credentialWhat;
    int sendLine;
    /** In scripts any network use counts as a way out (a GET with the data in its query works too). */
    int networkLine;
    int downloadLine;
    final java.util.Set<String> downloadedNames = new java.util.HashSet<>();
    int executeLine;
    boolean checksum;
    int decodeLine;
    int evalVariableLine;
    int deserializeLine;

    void credential(int line, String what) {
      if (credentialLine == 0) {
        credentialLine = line;
        credentialWhat = what;
      }
    }
  }

  private static void commandRules(SourceFile f, SourceFile.Line line, String t, int n, boolean script, Findings out, UnitFacts u) {
    String file = f.path;
    // Each rule first checks for its literal keywords in the lower-cased line: most lines of most
    // skills contain none of them, and the regular expressions are the scanner's whole cost.
    String lc = t.toLowerCase(java.util.Locale.ROOT);
    Matcher m;
    if ((lc.contains("|") && has(lc, "base64", "b64decode", "xxd", "openssl", "rev") || lc.contains("sh -c")) && (m = DECODE_TO_SHELL.matcher(t)).find()) {
      out.add(Rule.WS102, file, n, "decoded text is piped into a shell: " + Findings.quote(m.group()));
    }
    m = PIPE_TO_SHELL.matcher(t);
    Matcher m2 = SUBSHELL_DOWNLOAD.matcher(t);
    boolean downloader = has(lc, "curl", "wget", "fetch", "aria2c", "lwp-", "iwr", "irm", "invoke-", "http");
    boolean pipe = downloader && lc.contains("|") && m.find();
    if (pipe || downloader && (lc.contains("$(") || lc.contains("<(")) && m2.find()) {
      String what = pipe ? m.group() : m2.group();
      Severity sev = Severity.HIGH;
      String why = "a download is run by a shell without being reviewed or pinned";
      List<String> urls = Hosts.urlsIn(t);
      boolean risky = urls.stream().anyMatch(url -> url.startsWith("http://"))
          || Hosts.hostsIn(t).stream().anyMatch(h -> Hosts.isPublicIp(h) || Hosts.isExfilHost(h) || Hosts.isShortener(h));
      if (risky) {
        sev = Severity.CRITICAL;
        why = "a download from a raw IP, paste/tunnel host, URL shortener or plain http is run by a shell";
      } else if (!urls.isEmpty() && urls.stream().allMatch(Hosts::isVendorInstaller)) {
        sev = Severity.LOW;
        why = "a vendor's official installer is piped into a shell (reviewed vendor list)";
      }
      out.add(Rule.WS101, sev, file, n, why + ": " + Findings.quote(what));
    }
    if (has(lc, "iex", "invoke-expression") && PS_IEX.matcher(t).find() && PS_DOWNLOAD.matcher(t).find() || has(lc, "powershell", "pwsh") && (m = PS_ENCODED.matcher(t)).find()) {
      out.add(Rule.WS103, file, n, "PowerShell runs downloaded or encoded code: " + Findings.quote(t));
    } else if (has(lc, "mshta", "regsvr32", "certutil", "powershell") && (m = LOLBIN.matcher(t)).find()) {
      out.add(Rule.WS103, Severity.HIGH, file, n, "Windows living-off-the-land download/execute: " + Findings.quote(m.group()));
    }
    if (has(lc, "unzip", "7z", "unrar", "password", "7-zip") && (m = PASSWORD_ARCHIVE.matcher(t)).find()) {
      out.add(Rule.WS104, file, n, "password-protected archive (its content cannot be scanned): " + Findings.quote(m.group()));
    }
    if (has(lc, "exec", "eval", "function", "/dev/tcp", "nc ", "ncat", "netcat", "socat", "socket", "dup2", "pty") && (m = EXEC_DOWNLOADED.matcher(t)).find()) {
      out.add(Rule.WS106, file, n, "executes code received from the network: " + Findings.quote(m.group()));
    }
    if (has(lc, "curl", "wget", "invoke-webrequest", "iwr", "urlretrieve") && DOWNLOAD_TO_FILE.matcher(t).find()) {
      if (u.downloadLine == 0) {
        u.downloadLine = n;
      }
      Matcher dn = DOWNLOADED_NAME.matcher(t);
      while (dn.find()) {
        String name = dn.group(1);
        int slash = name.lastIndexOf('/');
        String base = slash >= 0 ? name.substring(slash + 1) : name;
        if (base.length() >= 2 && !base.equals("-") && !base.startsWith("/dev/")) {
          u.downloadedNames.add(base);
        }
      }
    }
    if (u.executeLine == 0 && !u.downloadedNames.isEmpty()) {
      // A later command (or a later segment of this line) that runs a file this unit downloaded.
      outer:
      for (String seg : COMMAND_SPLIT.split(t)) {
        if (DOWNLOAD_TO_FILE.matcher(seg).find() || !RUNS_FILE.matcher(seg).find()) {
          continue;
        }
        for (String name : u.downloadedNames) {
          // The downloaded file must be what runs (sh get.sh, ./get.sh, chmod +x get.sh), not an
          // argument handed to a local program (python3 process.py data.json).
          String q = "[\"']?(?:\\S*/)?" + Pattern.quote(name) + "[\"']?(?![\\w.-])";
          if (Pattern.compile("(?i)(?:^\\s*(?:sudo\\s+)?|\\b(?:ba|z|k|da)?sh\\s+(?:-\\S+\\s+)*|\\bsource\\s+|^\\s*\\.\\s+|\\bpython[0-9.]*\\s+(?:-\\S+\\s+)*"
              + "|\\bnode\\s+|\\bperl\\s+|\\bruby\\s+|\\bchmod\\s+\\S+\\s+|\\bstart-process\\s+|\\bopen\\s+|\\./)" + q).matcher(seg).find()) {
            u.executeLine = n;
            break outer;
          }
        }
      }
    }
    if (u.downloadLine > 0 && u.executeLine == 0 && (MAKE_EXECUTABLE.matcher(t).find() || RUN_LOCAL_FILE.matcher(t).find() && !t.stripLeading().startsWith("#"))) {
      u.executeLine = n;
    }
    if (!u.checksum && has(lc, "sha256", "shasum", "get-filehash", "checksum", "cosign", "gpg", "minisign") && CHECKSUM.matcher(t).find()) {
      u.checksum = true;
    }

    // Credentials and state.
    if (has(lc, "env", "environ", "/proc") && (m = ENV_HARVEST.matcher(t)).find()) {
      out.add(Rule.WS201, file, n, "collects the whole environment (every secret in it): " + Findings.quote(m.group()));
      u.credential(n, "the environment");
    }
    java.util.function.BooleanSupplier reads = () -> script || READ_VERB.matcher(t).find();
    if (has(lc, "ssh", "aws", "gnupg", "kube", "docker", "netrc", "credentials", "npmrc", "pypirc", "azure", "id_", "gcloud", "shadow", "security ", "keychain", "wallet", "electrum", "solana", "keystore", "hosts.yml", "pgpass", "my.cnf") && (m = SECRET_PATH.matcher(t)).find()) {
      if (reads.getAsBoolean()) {
        out.add(Rule.WS202, file, n, "touches secret files: " + Findings.quote(m.group()));
        u.credential(n, m.group());
      } else {
        out.add(Rule.WS202, Severity.INFO, file, n, "mentions a secret location: " + Findings.quote(m.group()));
      }
    }
    if (has(lc, "login", "key3", "key4", "cookie", "local state", "localstate", "web data", "webdata", "formhistory", "firefox", "mozilla", "passwords.csv", "chrome") && (m = BROWSER_PROFILE.matcher(t)).find()) {
      if (line.prose() || reads.getAsBoolean()) {
        out.add(Rule.WS203, file, n, "touches browser credential stores: " + Findings.quote(m.group()));
        u.credential(n, m.group());
      }
    }
    if (has(lc, "openclaw", "clawdbot", "moltbot", "warden") && (m = AGENT_STATE.matcher(t)).find()) {
      boolean sensitive = AGENT_STATE_SENSITIVE.matcher(t).find();
      boolean ownArea = AGENT_STATE_OWN_AREA.matcher(t).find();
      if (script && !ownArea || !script && sensitive && READ_VERB.matcher(t).find() && !t.contains("--workdir")) {
        out.add(Rule.WS204, file, n, "reads the agent's state directory (config, credentials, sessions): " + Findings.quote(t));
        u.credential(n, m.group());
      } else {
        out.add(Rule.WS204, Severity.INFO, file, n, "refers to the agent's state directory: " + Findings.quote(m.group()));
      }
    }
    if (u.sendLine == 0 && has(lc, "curl", "wget", "nc ", "ncat", "netcat", "socat", "telnet", "/dev/", "requests.", "httpx.", "urlopen", "urllib", "fetch", "method", "axios", "smtp", "sendmail", "invoke-", "scp", "socket", "sendall", "xmlhttprequest", "sendbeacon", "http.request", "ftp", "git push") && NETWORK_SEND.matcher(t).find()) {
      u.sendLine = n;
    }
    if (script && u.networkLine == 0 && !t.strip().startsWith("import ") && !t.strip().startsWith("from ") && NETWORK_USE.matcher(t).find()) {
      u.networkLine = n;
    }

    // Obfuscation.
    if (has(lc, "exec", "eval", "function", "system", "popen", "subprocess", "spawn") && (m = EVAL_DECODED.matcher(t)).find()) {
      out.add(Rule.WS301, file, n, "evaluates decoded text as code: " + Findings.quote(m.group()));
    }
    if (u.decodeLine == 0 && has(lc, "b64decode", "b32decode", "fromhex", "unhexlify", "decompress", "loads", "atob", "codecs", "buffer.from", "fromcharcode", "base64") && DECODE_CALL.matcher(t).find()) {
      u.decodeLine = n;
    }
    if (script && u.deserializeLine == 0 && has(lc, "pickle", "marshal", "dill", "joblib", "shelve") && UNSAFE_DESERIALIZE.matcher(t).find()) {
      u.deserializeLine = n;
    }
    if (script && u.evalVariableLine == 0 && has(lc, "exec", "eval", "function", "runin")
        && (f.kind == SourceFile.Kind.JAVASCRIPT ? EVAL_VARIABLE_JS : EVAL_VARIABLE).matcher(t).find()) {
      u.evalVariableLine = n;
    }
    if (has(lc, "fromcharcode", "chr", "[char]") && (m = CHAR_CODES.matcher(t)).find()) {
      out.add(Rule.WS303, file, n, "builds a string from character codes (hides its text from review): " + Findings.quote(m.group()));
    }

    // Persistence and agent files written by commands.
    if (has(lc, "cron", "reboot", "bashrc", "zshrc", "profile", "zshenv", "zlogin", "bash_login", "launch", "systemctl", "systemd", "schtasks", "currentversion", "authorized_keys", "startup", "autostart", "rc.local", "init.d") && (m = PERSISTENCE.matcher(t)).find()) {
      // A shell-rc line or crontab entry that runs a local command is everyday setup (completions,
      // backups); one that fetches, decodes, hides or starts at boot is how malware stays.
      boolean always = PERSISTENCE_ALWAYS.matcher(m.group()).find();
      boolean payload = PERSISTENCE_PAYLOAD.matcher(t).find();
      out.add(Rule.WS405, always || payload ? Severity.HIGH : Severity.LOW, file, n,
          (always || payload ? "installs something that survives restarts and runs hidden or downloaded code: "
              : "adds a shell-startup or cron entry (review what it runs): ") + Findings.quote(t));
    }
    if (lc.contains(".md") && (m = AGENT_FILE_WRITE_CODE.matcher(t)).find()) {
      out.add(Rule.WS404, file, n, "writes the agent's persistent instruction files: " + Findings.quote(m.group()));
    }

    // Endpoints.
    boolean url = lc.contains("://");
    for (String h : url ? Hosts.hostsIn(t) : List.<String>of()) {
      if (Hosts.isExfilHost(h)) {
        out.add(Rule.WS206, file, n, "uses " + h + ", a request-catcher/tunnel/paste/file-drop service typical of exfiltration and payload hosting");
      } else if (Hosts.isPublicIp(h)) {
        out.add(Rule.WS206, file, n, "talks to a raw IP address " + h + " (no name, no certificate identity)");
      }
    }
    for (String u2 : url ? Hosts.urlsIn(t) : List.<String>of()) {
      if (Hosts.isExfilUrl(u2)) {
        out.add(Rule.WS206, file, n, "posts to a chat webhook, an anonymous drop for data: " + Findings.quote(u2));
      }
    }
    if (has(lc, "nslookup", "dig ", "host ", "drill ", "resolvectl") && (m = DNS_EXFIL.matcher(t)).find()) {
      out.add(Rule.WS206, file, n, "looks up a DNS name built from command output (DNS exfiltration): " + Findings.quote(m.group()));
      if (u.sendLine == 0) {
        u.sendLine = n;
      }
    }
    String ip = dots(lc) >= 3 ? Hosts.publicIpInOrNull(t) : null;
    if (ip != null && !out.has(Rule.WS206, file) && (script || NETWORK_USE.matcher(t).find())) {
      out.add(Rule.WS206, file, n, "connects to a raw IP address " + ip);
    }
  }

  private static void proseRules(SourceFile f, Paragraph para, String nextParagraph, Findings out) {
    String file = f.path;
    String t = para.text().length() > MAX_RULE_LINE_CHARS ? para.text().substring(0, MAX_RULE_LINE_CHARS) : para.text();
    // "I g n o r e  a l l  p r e v i o u s" reads as words to a model; join such letters for matching.
    // Offsets then drift a little, so findings point at the paragraph's first line.
    Matcher spaced = SPACED_LETTERS.matcher(t);
    if (spaced.find()) {
      t = SPACED_LETTERS.matcher(t).replaceAll(mr -> Matcher.quoteReplacement(mr.group().replace(" ", "")));
      para = new Paragraph(t, new int[] {para.firstLine()}, para.firstLine());
    }
    String lc = t.toLowerCase(java.util.Locale.ROOT);
    Matcher m = OVERRIDE.matcher(t);
    boolean overrideWords = has(lc, "ignore", "disregard", "forget", "override", "bypass", "overrule", "your new", "your real", "your true",
        "your actual", "priority", "precedence", "even if", "regardless", "no longer", "system prompt", "developer mode", "do not ask", "do not wait");
    while (overrideWords && m.find()) {
      String before = t.substring(Math.max(0, m.start() - 30), m.start());
      if (NEGATED_BEFORE.matcher(before).find()) {
        continue;
      }
      out.add(Rule.WS401, quoted(t, m.start()) ? Severity.LOW : Severity.HIGH, file, para.lineOf(m.start()),
          "tells the agent to override its instructions or the user: " + Findings.quote(m.group()));
      break;
    }
    if (has(lc, "not ", "n't", "never", "without", "silently", "secretly", "covertly", "quietly", "discreetly", "stealthily", "invisibly",
        "hide", "conceal", "mask", "evidence", "trace", "history", "audit log", "histfile", "before the", "keep ")
        && (m = CONCEAL.matcher(t)).find()) {
      out.add(Rule.WS402, quoted(t, m.start()) ? Severity.LOW : Severity.HIGH, file, para.lineOf(m.start()),
          "tells the agent to hide its actions: " + Findings.quote(m.group()));
    }
    for (Sentence sentence : sentences(t)) {
      // Words inside URLs ("…/v6/forward", "…/upload") are not verbs of the sentence.
      String words = Hosts.URL.matcher(sentence.text).replaceAll(" URL ");
      Matcher sv = SEND_VERB.matcher(words);
      Matcher so = SENSITIVE_OBJECT.matcher(words);
      Matcher weak = SEND_USER_SECRETS.matcher(Hosts.URL.matcher(sentence.text).replaceAll(" URL "));
      if (weak.find() && (Hosts.URL.matcher(sentence.text).find() || EMAIL.matcher(sentence.text).find()
          || TARGET_WORDS.matcher(sentence.text).find())) {
        out.add(Rule.WS403, quoted(Hosts.URL.matcher(sentence.text).replaceAll(" URL "), weak.start()) ? Severity.LOW : Severity.HIGH, file, para.lineOf(sentence.offset),
            "tells the agent to put the user's secrets into a request to an outside address: " + Findings.quote(sentence.text));
        break;
      }
      if (sv.find() && so.find() && (Hosts.URL.matcher(sentence.text).find() || EMAIL.matcher(sentence.text).find()
          || TARGET_WORDS.matcher(sentence.text).find())) {
        out.add(Rule.WS403, quoted(words, sv.start()) ? Severity.LOW : Severity.HIGH, file, para.lineOf(sentence.offset),
            "tells the agent to send " + so.group() + " to an outside address: " + Findings.quote(sentence.text));
        break;
      }
    }
    Matcher af = AGENT_FILE.matcher(t);
    if (lc.contains(".md") && af.find()) {
      Matcher wv = WRITE_VERB.matcher(t);
      if (wv.find()) {
        String rest = t.substring(Math.min(wv.start(), af.start())) + " " + nextParagraph;
        boolean injects = INJECTION_MARKER.matcher(rest).find();
        out.add(Rule.WS404, injects ? Severity.HIGH : Severity.INFO, file, para.lineOf(af.start()),
            (injects ? "tells the agent to plant instructions in " : "mentions editing ") + af.group() + ": " + Findings.quote(t));
      }
    }
    if (has(lc, "cron", "scheduled task", "launch agent", "login item", "startup item", "systemd") && (m = PERSISTENCE_PROSE.matcher(t)).find()) {
      out.add(Rule.WS405, Severity.LOW, file, para.lineOf(m.start()), "asks for a scheduled job (review what it runs): " + Findings.quote(m.group()));
    }
  }

  /**
   * Weaker verbs ("include", "attach") are ordinary in API docs ("include your API key in the
   * header"); they count only for secrets that belong to the user rather than the reader.
   */
  private static final Pattern SEND_USER_SECRETS = p(
      "\\b(?:include|including|attach|embed|append|add|put|pass)\\b[^.]{0,40}?\\b(?:the\\s+user'?s?|the\\s+owner'?s?|all(?:\\s+(?:the|of\\s+the))?|every|their)\\s+(?:\\w+\\s+)?(?:api[\\s_-]?keys?|tokens?|credentials?|secrets?|passwords?|cookies|session|env(?:ironment)?\\s+(?:variables|vars))");
  private static final Pattern TARGET_WORDS = p("\\b(?:webhook|endpoint|server\\s+at|this\\s+url|the\\s+url|pastebin|discord|telegram\\s+bot)\\b");
  private static final Pattern SPACED_LETTERS = Pattern.compile("(?<![\\p{L}\\p{N}])(?:\\p{L} ){3,}\\p{L}(?![\\p{L}\\p{N}])");
  private static final Pattern EMAIL = Pattern.compile("\\b[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)*\\.[a-z]{2,}\\b", CASE_INSENSITIVE);

  private record Sentence(String text, int offset) {}

  /** Splits on sentence ends (". " etc.), keeping URLs and file names like MEMORY.md whole. */
  private static List<Sentence> sentences(String t) {
    List<Sentence> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if ((c == '.' || c == '!' || c == '?' || c == ';') && (i + 1 == t.length() || Character.isWhitespace(t.charAt(i + 1)))) {
        out.add(new Sentence(t.substring(start, i + 1), start));
        start = i + 1;
      }
    }
    if (start < t.length()) {
      out.add(new Sentence(t.substring(start), start));
    }
    return out;
  }

  static boolean has(String lc, String... words) {
    for (String w : words) {
      if (lc.contains(w)) {
        return true;
      }
    }
    return false;
  }

  private static int dots(String s) {
    int c = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '.') c++;
    }
    return c;
  }

  /** Whether position {@code at} lies inside a quoted span ("…", “…”, '…' or `…`) on the line. */
  static boolean quoted(String t, int at) {
    int dq = 0;
    int bq = 0;
    int curly = 0;
    for (int i = 0; i < at; i++) {
      char c = t.charAt(i);
      if (c == '"') dq++;
      else if (c == '`') bq++;
      else if (c == '“') curly++;
      else if (c == '”') curly--;
    }
    return dq % 2 == 1 || bq % 2 == 1 || curly > 0 || t.substring(Math.max(0, at - 1), at).equals("'")
        || t.substring(Math.max(0, at - 12), at).matches(".*(?i)(e\\.g\\.|such as|like|example:?)\\s*['\"“]?$");
  }

  /** Rules that need several lines of one unit: download-then-run, secret-then-send, decode-then-eval. */
  public static void combine(SourceFile f, Map<Integer, UnitFacts> units, Findings out) {
    for (UnitFacts u : new ArrayList<>(units.values())) {
      if (u.downloadLine > 0 && u.executeLine > 0 && !u.checksum) {
        out.add(Rule.WS105, f.path, u.executeLine, "runs a file downloaded on line " + u.downloadLine
            + " without checking a pinned sha256 first");
      }
      int out1 = u.sendLine > 0 ? u.sendLine : u.networkLine;
      if (u.credentialLine > 0 && out1 > 0) {
        out.add(Rule.WS205, f.path, out1, "reads " + Findings.quote(u.credentialWhat) + " (line " + u.credentialLine
            + ") and sends data out (line " + out1 + ")");
      }
      if (f.isCode() && u.networkLine > 0 && u.deserializeLine > 0) {
        out.add(Rule.WS106, Severity.HIGH, f.path, u.deserializeLine, "unpickles/unmarshals data in a file that fetches from the network (line "
            + u.networkLine + "): loading such data runs code");
      }
      if (f.isCode() && u.networkLine > 0 && u.evalVariableLine > 0 && u.decodeLine == 0) {
        out.add(Rule.WS106, Severity.HIGH, f.path, u.evalVariableLine, "evaluates a variable as code in a file that fetches from the network (line "
            + u.networkLine + ")");
      }
      if (f.isCode() && u.decodeLine > 0 && u.evalVariableLine > 0) {
        out.add(Rule.WS301, Severity.HIGH, f.path, u.evalVariableLine, "evaluates a variable in a file that decodes data (line "
            + u.decodeLine + "): likely a hidden payload");
      }
    }
  }

}
