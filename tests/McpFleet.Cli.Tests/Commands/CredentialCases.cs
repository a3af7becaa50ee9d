namespace McpFleet.Cli.Tests.Commands;

/// <summary>
/// One input of the credential corpus: the files of a Compose project and the literals that must appear in no output
/// byte of <c>mcpfleet import compose</c> (fleet files, report, stdout, stderr).
/// </summary>
/// <param name="Name">The case name: category, then what it holds.</param>
/// <param name="Files">The files, by path relative to the project directory; <c>docker-compose.yml</c> is imported.</param>
/// <param name="Literals">The credentials.</param>
public sealed record CredentialCase(string Name, IReadOnlyDictionary<string, string> Files, IReadOnlyList<string> Literals)
{
    /// <summary>Gets the options after the Compose file, besides <c>--out</c> and <c>--report</c>.</summary>
    public IReadOnlyList<string> Options { get; init; } = [];
}

/// <summary>
/// The credential corpus, built from the categories of findings.md D1: credential name words, credentials inside
/// compound values, <c>${VAR:-default}</c> defaults, env file values, command-line flags and scripts, error messages,
/// and the other fields that can carry one.
/// </summary>
public static class CredentialCases
{
    private const string Header = "services:\n  app:\n    image: registry.example/acme/mcp-app:v1.0.0\n    ports: [\"9001:9001\"]\n";

    /// <summary>Gets every case.</summary>
    public static IReadOnlyList<CredentialCase> All { get; } = Build();

    /// <summary>Gets the case names, for a theory.</summary>
    public static TheoryData<string> Names => [.. All.Select(c => c.Name)];

    private static List<CredentialCase> Build()
    {
        var cases = new List<CredentialCase>();

        // 1. A credential word in the name, the value plain and short (no value rule would catch it).
        foreach (var (name, value) in new[]
        {
            ("MYSQL_PWD", "tr0ub4dor"), ("DB_PW", "pwplain1x"), ("REDIS_AUTH", "s3cr3tv4lue"), ("SESSION_COOKIE", "cookieval22"),
            ("PASSWORD_SALT", "saltval33x"), ("HASH_SALT", "hashsalt44"), ("NGINX_HTPASSWD", "admin:apr1hashed55"),
            ("LDAP_BIND_PASSWD", "ldapbind66"), ("SMTP_PASS", "smtppass77"), ("JWT_SIGNING_KEY", "jwtsign88x"),
            ("APIKEY", "apikeyval99"), ("client_secret", "clientsec11"), ("GOOGLE_APPLICATION_CREDENTIALS", "gcpcreds22x"),
            ("SSH_PRIVATE_KEY", "sshpriv33x"), ("ENCRYPTION_KEY", "enckey44xx"), ("BEARER", "bearerval55"),
            ("OAUTH_REFRESH_TOKEN", "refreshtok66"), ("KEYCLOAK_ADMIN_PASSWORD", "kcadmin77x"), ("pgpassword", "pglower88x"),
            ("dbPassword", "camelpw99x"), ("SENTRY_DSN", "sentrydsn11"), ("MONGO_INITDB_ROOT_PASSWORD", "mongoroot22"),
            ("AUTH", "bareauth33"), ("X_AUTH_TOKEN", "xauthtok44"),
        })
        {
            cases.Add(Compose($"name/{name}", $"    environment:\n      {name}: \"{value}\"\n", value));
        }

        cases.Add(Compose("name/dotted-invalid-env-name", "    environment:\n      spring.datasource.password: dottedpw55\n", "dottedpw55"));
        cases.Add(Compose("name/list-form", "    environment:\n      - MYSQL_PWD=listformpw66\n      - LOG_LEVEL=info\n", "listformpw66"));
        cases.Add(Case("name/env_file", "    env_file: app.env\n", ["envfileauth77"], ("app.env", "REDIS_AUTH=envfileauth77\nLOG_LEVEL=debug\n")));
        cases.Add(Case("name/env_file-export-quoted", "    env_file: [app.env]\n", ["quotedpw88x"], ("app.env", "export DB_PWD='quotedpw88x'\n")));

        // 2. A credential inside a compound value.
        foreach (var (name, value, literal) in new[]
        {
            ("CONN", "Server=db;User Id=sa;Password=Pa55w0rdX;", "Pa55w0rdX"),
            ("ODBC", "Driver={ODBC};Server=db;Uid=sa;Pwd=odbcpw13x;", "odbcpw13x"),
            ("JDBC_QUERY", "jdbc:postgresql://db:5432/app?user=app&password=jdbcQpw1x", "jdbcQpw1x"),
            ("JDBC_USERINFO", "jdbc:mysql://app:jdbcUpw2x@db:3306/app", "jdbcUpw2x"),
            ("JAVA_OPTS", "-Xmx1g -Ddb.password=javaoptSecret9", "javaoptSecret9"),
            ("JAVA_TOOL_OPTIONS", "-Dspring.datasource.password=jtopw3xx -Dfile.encoding=UTF-8", "jtopw3xx"),
            ("PG_DSN", "host=db user=app password=dsnpw4xx dbname=app", "dsnpw4xx"),
            ("GO_DSN", "app:godsnpw5x@tcp(db:3306)/app", "godsnpw5x"),
            ("MONGO_URI", "mongodb+srv://u:mongopw6x@cluster0.example.net/db", "mongopw6x"),
            ("REDIS_URL", "redis://:redispw7x@cache:6379/0", "redispw7x"),
            ("AMQP_URL", "amqp://guest:amqppw8x@mq:5672/", "amqppw8x"),
            ("SQLALCHEMY_URL", "postgresql+psycopg2://app:sqlapw14x@db/app", "sqlapw14x"),
            ("SMTP_URL", "smtp://mailer:smtppw18x@mail.example.com:587", "smtppw18x"),
            ("GIT_REMOTE", "https://x-access-token:gittoken11x@github.com/org/repo.git", "gittoken11x"),
            ("GIT_MIRROR", "https://tokenuser12abc@github.com/org/repo.git", "tokenuser12abc"),
            ("EXTRA_HEADERS", "Authorization: Bearer hdrbearer9x", "hdrbearer9x"),
            ("UPSTREAM_HEADERS", "X-Api-Key: xapikey10x", "xapikey10x"),
            ("PROXY_HEADER", "Authorization: Basic dXNlcjpwYXNzd29yZA==", "dXNlcjpwYXNzd29yZA=="),
            ("WEBHOOK", "https://hooks.example.com/notify?token=whtok15x", "whtok15x"),
            ("SEARCH_ENDPOINT", "https://api.example.com/v1/search?api_key=qkey16xx&q=x", "qkey16xx"),
            ("SPRING_APPLICATION_JSON", "{\\\"spring.datasource.password\\\": \\\"jsonpw17x\\\"}", "jsonpw17x"),
            ("OPTIONS", "--db-host db --db-password=optpw19x", "optpw19x"),
        })
        {
            cases.Add(Compose($"compound/{name}", $"    environment:\n      {name}: \"{value}\"\n", literal));
        }

        // 3. ${VAR:-default}: the default is written as the value unless the import sees it is a credential.
        cases.Add(Compose("default/credential-name", "    environment:\n      UPSTREAM_AUTH: ${UPSTREAM_AUTH:-defaultupstreampw6}\n", "defaultupstreampw6"));
        cases.Add(Compose("default/plain-name-credential-variable", "    environment:\n      UPSTREAM: ${DB_PASSWORD:-defpw20x}\n", "defpw20x"));
        cases.Add(Compose("default/url-with-password", "    environment:\n      DATABASE_URL: ${DATABASE_URL:-postgres://app:defpw21x@db/app}\n", "defpw21x"));
        cases.Add(Compose("default/no-colon", "    environment:\n      SERVICE_TOKEN: ${SERVICE_TOKEN-deftok22x}\n", "deftok22x"));
        cases.Add(Compose("default/nested", "    environment:\n      UPSTREAM: ${UPSTREAM_URL:-${UPSTREAM_SECRET:-nested23x}}\n", "nested23x"));
        cases.Add(Compose("default/in-command", "    command: [\"serve\", \"--token\", \"${TOKEN:-cmddef24x}\"]\n", "cmddef24x"));
        cases.Add(Case("default/in-env_file", "    env_file: app.env\n", ["envfiledef25x"], ("app.env", "UPSTREAM=${SECRET_X:-envfiledef25x}\n")));
        cases.Add(Case("default/alternative-of-set-variable", "    environment:\n      UPSTREAM_AUTH: ${FEATURE:+alt26secret}\n", ["alt26secret"], (".env", "FEATURE=on\n")));

        // 4. Values from the env file (.env or --env-file), whatever the name.
        cases.Add(Case("dotenv/braced", "    environment:\n      PLAIN_FROM_ENV: ${PLAIN_FROM_ENV}\n", ["dotenvplain7"], (".env", "PLAIN_FROM_ENV=dotenvplain7\n")));
        cases.Add(Case("dotenv/unbraced", "    environment:\n      PLAIN: $PLAIN_VALUE\n", ["dotenvunbr8"], (".env", "PLAIN_VALUE=dotenvunbr8\n")));
        cases.Add(Case("dotenv/bare-key", "    environment:\n      - PLAIN_BARE\n", ["dotenvbare9"], (".env", "PLAIN_BARE=dotenvbare9\n")));
        cases.Add(Case("dotenv/composite", "    environment:\n      PLAIN: \"${A}-${B}\"\n", ["dotenvA10x", "dotenvB10x"], (".env", "A=dotenvA10x\nB=dotenvB10x\n")));
        cases.Add(Case("dotenv/quoted-export", "    environment:\n      PLAIN: ${Q}\n", ["dotenvq11x"], (".env", "export Q=\"dotenvq11x\"\n")));
        cases.Add(Case("dotenv/default-overridden", "    environment:\n      PLAIN: ${P:-fallback}\n", ["dotenvp12x"], (".env", "P=dotenvp12x\n")));
        cases.Add(Case("dotenv/in-command", "    command: [\"serve\", \"--workspace\", \"${WS}\"]\n", ["dotenvws13"], (".env", "WS=dotenvws13\n")));
        cases.Add(Case("dotenv/in-command-string", "    command: serve --workspace=${WS}\n", ["dotenvws14"], (".env", "WS=dotenvws14\n")));
        cases.Add(Case("dotenv/in-label", "    labels:\n      team: ${TEAM}\n", ["dotenvteam15"], (".env", "TEAM=dotenvteam15\n")));
        cases.Add(Case("dotenv/in-script", "    entrypoint: [\"sh\", \"-c\", \"exec serve --name ${NAME}\"]\n", ["dotenvname16"], (".env", "NAME=dotenvname16\n")));
        cases.Add(Case("dotenv/in-volume", "    volumes: [\"${DATA}:/data\"]\n", ["dotenvdata17"], (".env", "DATA=dotenvdata17\n")));
        cases.Add(Case("dotenv/env-file-option", "    environment:\n      PLAIN: ${OPT}\n", ["envopt18x"], ("deploy.env", "OPT=envopt18x\n")) with { Options = ["--env-file", "deploy.env"] });

        // 5. Command lines: flags, odd flags, short flags and scripts, in list and string form.
        foreach (var (name, command, literals) in new (string, string, string[])[]
        {
            ("short-p-and-auth", "command: [serve, -pmysqlflag3, --auth, cmdauth4x]", ["mysqlflag3", "cmdauth4x"]),
            ("password-equals", "command: [serve, --password=eqpw5xxx]", ["eqpw5xxx"]),
            ("requirepass", "command: redis-server --requirepass rp6xxxxx --save \"\"", ["rp6xxxxx"]),
            ("masterauth", "command: [redis-server, --masterauth, ma7xxxxx]", ["ma7xxxxx"]),
            ("htpasswd", "command: [serve, --htpasswd, ht8xxxxx]", ["ht8xxxxx"]),
            ("api-key", "command: [serve, --api-key, sk-proj-4fJq9ZtX2mLk8VbN]", ["sk-proj-4fJq9ZtX2mLk8VbN"]),
            ("curl-u", "command: [curl, -u, admin:curlpw9x, http://api]", ["curlpw9x"]),
            ("user-colon", "command: [serve, --user, admin:userpw10x]", ["userpw10x"]),
            ("header", "command: [curl, -H, \"Authorization: Bearer hb11xxxx\", http://api]", ["hb11xxxx"]),
            ("token-string-form", "command: serve --token tok12xxxx --port 9001", ["tok12xxxx"]),
            ("url-in-flag", "command: [serve, --db-url, \"postgres://a:urlpw13x@db/x\"]", ["urlpw13x"]),
            ("cookie-secret", "command: [oauth2-proxy, --cookie-secret=cs14xxxxx]", ["cs14xxxxx"]),
            ("client-secret", "command: [serve, --client-secret, cls15xxxx]", ["cls15xxxx"]),
            ("auth-token", "command: [serve, --auth-token, at17xxxxx]", ["at17xxxxx"]),
            ("sh-c-bearer-and-password", "entrypoint: \"sh -c 'curl -H \\\"Authorization: Bearer entrybearer11\\\" http://x && exec worker --password entrypw12x'\"", ["entrybearer11", "entrypw12x"]),
            ("bash-lc-mysql", "command: [bash, -lc, \"mysql -uroot -pshpw18xx db < /seed.sql\"]", ["shpw18xx"]),
            ("sh-c-export", "command: [sh, -c, \"export API_KEY=shkey19x && exec serve\"]", ["shkey19x"]),
            ("json-arg", "command: [serve, --config, '{\"password\": \"jsonarg20x\"}']", ["jsonarg20x"]),
            ("sh-c-curl-u", "entrypoint: [/bin/sh, -c, \"curl -u svc:curlsh21x http://x && exec serve\"]", ["curlsh21x"]),
            ("java-property", "command: [java, -Ddb.password=cmdjava22x, -jar, app.jar]", ["cmdjava22x"]),
            ("repeated-in-script", "command: [sh, -c, \"login --password rep23xxx; echo rep23xxx\"]", ["rep23xxx"]),
            ("jwt-word", "command: [serve, --session, eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl]", ["eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"]),
        })
        {
            cases.Add(Compose($"command/{name}", $"    {command}\n", literals));
        }

        // 6. Error messages: an invalid ${…} in a literal credential, a :? message that would interpolate one.
        cases.Add(Compose("error/unclosed-in-password", "    environment:\n      DB_PASSWORD: \"Tr0ub4dor&3${xK9\"\n", "Tr0ub4dor"));
        cases.Add(Compose("error/unclosed-in-command", "    command: [serve, --password, \"pw${oops23x\"]\n", "oops23x"));
        cases.Add(Compose("error/unknown-operator", "    environment:\n      API_TOKEN: \"${TOK%tokval24x}\"\n", "tokval24x"));
        cases.Add(Compose("error/no-variable-name", "    environment:\n      API_TOKEN: \"abc${-pwlit25x}\"\n", "pwlit25x"));
        cases.Add(Case("error/required-message-interpolates-secret", "    environment:\n      DATABASE_URL: \"${DATABASE_URL:?set it, e.g. postgres://app:${DB_PASSWORD}@db/app}\"\n", ["dotenvSecret99"], (".env", "DB_PASSWORD=dotenvSecret99\n")));
        cases.Add(Compose("error/required-message-holds-literal", "    environment:\n      DATABASE_URL: \"${DATABASE_URL:?use postgres://app:msgpw26x@db}\"\n", "msgpw26x"));
        cases.Add(Case("error/required-message-unbraced", "    environment:\n      HOST: \"${HOST:?e.g. $HOSTPW}\"\n", ["unbraced27x"], (".env", "HOSTPW=unbraced27x\n")));
        cases.Add(Case("error/malformed-env-line", "    environment:\n      A: \"1\"\n", ["malformed28x"], (".env", "GOOD=1\nthis line holds malformed28x\n")));
        cases.Add(Case("error/version-from-env-file", "", ["verval30x"], ("docker-compose.yml", "version: \"${V}\"\n" + Header), (".env", "V=verval30x\n")));
        cases.Add(Case("error/malformed-env_file-line", "    env_file: app.env\n", ["malformed29x"], ("app.env", "OK=1\nsecret malformed29x here\n")));

        // 7. Other fields that can carry a credential.
        cases.Add(Compose("other/label-name", "    labels:\n      api-token: lbltok28x\n", "lbltok28x"));
        cases.Add(Compose("other/label-value", "    labels:\n      owner: ghp_R2d2C3poL8kE9nM4bV6cX1zA7sQ0wE5rT3yU\n", "ghp_R2d2C3poL8kE9nM4bV6cX1zA7sQ0wE5rT3yU"));
        cases.Add(Compose("other/description-label", "    labels:\n      description: \"calls postgres://app:descpw29x@db\"\n", "descpw29x"));
        cases.Add(Compose("other/deploy-label", "    deploy:\n      labels:\n        secret-key: dlbl30xxx\n", "dlbl30xxx"));
        cases.Add(Compose("other/healthcheck", "    healthcheck:\n      test: [\"CMD\", \"mysqladmin\", \"-pHCpw31xx\", \"ping\"]\n", "HCpw31xx"));
        cases.Add(Compose("other/build-args", "    build:\n      context: .\n      args:\n        NPM_TOKEN: npmbuild32x\n", "npmbuild32x"));
        cases.Add(Compose("other/logging-options", "    logging:\n      driver: splunk\n      options:\n        splunk-token: spl33xxxx\n", "spl33xxxx"));
        cases.Add(Compose("other/extension-field", "    x-debug-password: xext34xxx\n", "xext34xxx"));
        cases.Add(Case("other/top-level-config-content", "    configs: [app]\n", ["cfg35xxxx"], ("docker-compose.yml", Header + "    configs: [app]\nconfigs:\n  app:\n    content: \"password=cfg35xxxx\"\n")));
        cases.Add(Compose("other/volume-source-url", "    volumes: [\"https://u:vol36xxx@host/share:/data\"]\n", "vol36xxx"));
        cases.Add(Compose("other/extra-hosts", "    extra_hosts: [\"admin:hunter37x@host:10.0.0.1\"]\n", "hunter37x"));
        cases.Add(Case("other/top-level-secret-from-environment", "    secrets: [db]\n", ["topsec38x"], ("docker-compose.yml", Header + "    secrets: [db]\nsecrets:\n  db:\n    environment: DB_PW\n"), (".env", "DB_PW=topsec38x\n")));
        return cases;
    }

    private static CredentialCase Compose(string name, string serviceLines, params string[] literals) =>
        Case(name, serviceLines, literals);

    private static CredentialCase Case(string name, string serviceLines, string[] literals, params (string Path, string Content)[] files)
    {
        var all = new Dictionary<string, string>(StringComparer.Ordinal) { ["docker-compose.yml"] = Header + serviceLines };
        foreach (var (path, content) in files)
        {
            all[path] = content;
        }

        return new CredentialCase(name, all, literals);
    }
}
