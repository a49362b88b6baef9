from dnsmate.cli import app

app(prog_name="dnsmate")
