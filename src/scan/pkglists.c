/* The bundled package lists (pkglists.h). Kept sorted by strcmp (a unit test checks it) and in the
 * normalised form dependencies carry. Sources:
 *
 * - Malicious packages and compromised releases: public reports, named per entry - SK-CSIRT's
 *   PyPI typosquat advisory (2017), the hacktask npm typosquats (2017), event-stream /
 *   flatmap-stream (2018), the eslint-scope and ua-parser-js / coa / rc hijacks (2018, 2021),
 *   JFrog, Sonatype, Check Point, Kaspersky, Phylum and ReversingLabs reports on PyPI malware
 *   (2021-2023), and the hijacked releases of 2023-2025 (Ledger connect-kit, @solana/web3.js,
 *   ultralytics, the chalk/debug maintainer phishing, nx "s1ngularity", Shai-Hulud). Only names
 *   and versions that registries removed or replaced with a security placeholder: a version list
 *   never flags a release published after the incident. The advisory database (MAL- entries from
 *   OSV) is the authoritative, current source; this list works without it.
 * - Popular packages: the 300 most-downloaded names of each registry (PyPI's top-15000 ranking
 *   and npm's monthly download counts, in the package lists available when this was written),
 *   plus packages that are commonly declared directly (frameworks, ML libraries, CLIs).
 * - Legitimate near-neighbours: names the typosquat check would flag that are established
 *   packages of their own - every such name among PyPI's 15000 and npm's 20000 most-downloaded
 *   packages (popular packages are not typosquats), plus a few known pairs (pyaml, jinja, preact,
 *   cookies...). When the check flags a real package, add it here (and a test). */
#include "pkglists.h"

#include <stdlib.h>
#include <string.h>

#include "../base/macros.h"
#include "version.h"

static const struct pkg_malicious MALICIOUS_PYPI[] = {
        { "acqusition", "*", "typosquat of acquisition, removed by PyPI (SK-CSIRT, 2017)" },
        { "aiocpa", "0.1.13", "compromised release exfiltrating credentials (2024)" },
        { "apidev-coop", "*", "typosquat of apidev-coop_cms, removed by PyPI (SK-CSIRT, 2017)" },
        { "are", "*", "Discord token and credit card stealer (JFrog, 2021)" },
        { "ascii2text", "*", "credential stealer (Check Point, 2022)" },
        { "browserdiv", "*", "credential stealer (Check Point, 2022)" },
        { "bzip", "*", "typosquat of bz2file, removed by PyPI (SK-CSIRT, 2017)" },
        { "colourama", "*", "typosquat of colorama: clipboard hijacker for crypto wallets (2018)" },
        { "crypt", "*", "typosquat of crypto, removed by PyPI (SK-CSIRT, 2017)" },
        { "ctx", "*", "hijacked project stealing environment variables, removed by PyPI (2022)" },
        { "discord-dev", "*", "Discord token stealer (Kaspersky, 2022)" },
        { "discorder", "*", "Discord token stealer (Kaspersky, 2022)" },
        { "discordsafety", "*", "Discord token stealer (JFrog, 2021)" },
        { "django-server", "*", "typosquat of django-server-guardian-api, removed by PyPI (SK-CSIRT, 2017)" },
        { "easytimestamp", "*", "Discord token stealer (Kaspersky, 2022)" },
        { "free-net-vpn", "*", "credential stealer (Check Point, 2022)" },
        { "free-net-vpn2", "*", "credential stealer (Check Point, 2022)" },
        { "fshec2", "*", "remote access trojan in compiled bytecode (ReversingLabs, 2023)" },
        { "genesisbot", "*", "Discord token and credit card stealer (JFrog, 2021)" },
        { "hkg-sol-utils", "*", "credential stealer (Sonatype, 2022)" },
        { "important-package", "*", "exfiltration and reverse shell (JFrog, 2021)" },
        { "importantpackage", "*", "exfiltration and reverse shell (JFrog, 2021)" },
        { "ipboards", "*", "dependency confusion, exfiltration (JFrog, 2021)" },
        { "jeilyfish", "*", "typosquat of jellyfish (capital I): stole SSH and GPG keys (2019)" },
        { "learninglib", "*", "cryptominer (Sonatype, 2021)" },
        { "loglib-modules", "*", "credential stealer (Sonatype, 2022)" },
        { "maratlib", "*", "cryptominer (Sonatype, 2021)" },
        { "maratlib1", "*", "cryptominer (Sonatype, 2021)" },
        { "matplatlib-plus", "*", "cryptominer, typosquat of matplotlib (Sonatype, 2021)" },
        { "mllearnlib", "*", "cryptominer (Sonatype, 2021)" },
        { "mplatlib", "*", "cryptominer, typosquat of matplotlib (Sonatype, 2021)" },
        { "noblesse", "*", "Discord token and credit card stealer (JFrog, 2021)" },
        { "noblesse2", "*", "Discord token and credit card stealer (JFrog, 2021)" },
        { "noblessev2", "*", "Discord token and credit card stealer (JFrog, 2021)" },
        { "num2words", "0.5.15", "release published with a phished token, malware (2025)" },
        { "owlmoon", "*", "Discord token stealer (JFrog, 2021)" },
        { "pptest", "*", "exfiltration and reverse shell (JFrog, 2021)" },
        { "pwd", "*", "squat of the pwd module, removed by PyPI (SK-CSIRT, 2017)" },
        { "pyg-modules", "*", "credential stealer (Sonatype, 2022)" },
        { "pyg-utils", "*", "credential stealer (Check Point, 2022)" },
        { "pygrata", "*", "credential stealer (Sonatype, 2022)" },
        { "pygrata-utils", "*", "credential stealer (Sonatype, 2022)" },
        { "pymafka", "*", "typosquat of pykafka dropping Cobalt Strike (2022)" },
        { "pymocks", "*", "credential stealer (Check Point, 2022)" },
        { "pyproto2", "*", "credential stealer (Check Point, 2022)" },
        { "pyrologin", "*", "Discord token stealer (Kaspersky, 2022)" },
        { "pytagora", "*", "remote code injection (JFrog, 2021)" },
        { "pytagora2", "*", "remote code injection (JFrog, 2021)" },
        { "python3-dateutil", "*", "typosquat of python-dateutil: stole SSH and GPG keys (2019)" },
        { "pythonstyles", "*", "Discord token stealer (Kaspersky, 2022)" },
        { "secretslib", "*", "fileless cryptominer (Sonatype, 2022)" },
        { "setup-tools", "*", "typosquat of setuptools, removed by PyPI (SK-CSIRT, 2017)" },
        { "ssh-decorator", "*", "backdoored releases stealing SSH credentials (2018)" },
        { "style-py", "*", "Discord token stealer (Kaspersky, 2022)" },
        { "suffer", "*", "Discord token and credit card stealer (JFrog, 2021)" },
        { "telnet", "*", "typosquat of telnetsrvlib, removed by PyPI (SK-CSIRT, 2017)" },
        { "test-async", "*", "malware downloader (Check Point, 2022)" },
        { "torchtriton", "*", "dependency confusion against PyTorch nightly, stole system data (2022)" },
        { "trollface", "*", "Discord token stealer (JFrog, 2021)" },
        { "typestring", "*", "W4SP stealer (Phylum, 2022)" },
        { "typesutil", "*", "W4SP stealer (Phylum, 2022)" },
        { "ultralytics", "8.3.41 8.3.42 8.3.45 8.3.46", "compromised releases with a cryptominer (2024)" },
        { "urlib3", "*", "typosquat of urllib3, removed by PyPI (SK-CSIRT, 2017)" },
        { "urllib", "*", "squat of the urllib module, removed by PyPI (SK-CSIRT, 2017)" },
        { "winrpcexploit", "*", "credential stealer (Check Point, 2022)" },
        { "zlibsrc", "*", "malware downloader (Check Point, 2022)" },
};

static const struct pkg_malicious MALICIOUS_NPM[] = {
        { "@ctrl/tinycolor", "4.1.1 4.1.2", "self-spreading credential stealer (Shai-Hulud, 2025)" },
        { "@ledgerhq/connect-kit", "1.1.5 1.1.6 1.1.7", "wallet drainer in hijacked releases (2023)" },
        { "@lottiefiles/lottie-player", "2.0.5 2.0.6 2.0.7", "wallet drainer in hijacked releases (2024)" },
        { "@rspack/cli", "1.1.7", "cryptominer in hijacked release (2024)" },
        { "@rspack/core", "1.1.7", "cryptominer in hijacked release (2024)" },
        { "@solana/web3.js", "1.95.6 1.95.7", "private-key stealer in hijacked releases (2024)" },
        { "ansi-regex", "6.2.1", "crypto-wallet hijacker in releases from a phished maintainer (2025)" },
        { "ansi-styles", "6.2.2", "crypto-wallet hijacker in releases from a phished maintainer (2025)" },
        { "babelcli", "*", "typosquat stealing environment variables (hacktask, 2017)" },
        { "backslash", "0.2.1", "crypto-wallet hijacker in releases from a phished maintainer (2025)" },
        { "chalk", "5.6.1", "crypto-wallet hijacker in releases from a phished maintainer (2025)" },
        { "chalk-template", "1.1.1", "crypto-wallet hijacker in releases from a phished maintainer (2025)" },
        { "coa", "2.0.3 2.0.4 2.1.1 2.1.3 3.0.1 3.1.3", "hijacked releases with a password stealer (2021)" },
        { "color-convert", "3.1.1", "crypto-wallet hijacker in releases from a phished maintainer (2025)" },
        { "color-name", "2.0.1", "crypto-wallet hijacker in releases from a phished maintainer (2025)" },
        { "color-string", "2.1.1", "crypto-wallet hijacker in releases from a phished maintainer (2025)" },
        { "colors", "1.4.44-liberty-2", "sabotaged release with an infinite loop (2022)" },
        { "cross-env.js", "*", "typosquat stealing environment variables (hacktask, 2017)" },
        { "crossenv", "*", "typosquat stealing environment variables (hacktask, 2017)" },
        { "d3.js", "*", "typosquat stealing environment variables (hacktask, 2017)" },
        { "db-json.js", "*", "njRAT dropper (2021)" },
        { "debug", "4.4.2", "crypto-wallet hijacker in releases from a phished maintainer (2025)" },
        { "electron-native-notify", "*", "payload used against Agama wallets (2019)" },
        { "error-ex", "1.3.3", "crypto-wallet hijacker in releases from a phished maintainer (2025)" },
        { "eslint-config-eslint", "5.0.2", "compromised release stealing npm tokens (2018)" },
        { "eslint-config-prettier", "8.10.1 9.1.1 10.1.6 10.1.7", "malware in releases from a phished maintainer (2025)" },
        { "eslint-scope", "3.7.2", "compromised release stealing npm tokens (2018)" },
        { "event-stream", "3.3.6", "compromised release pulling in flatmap-stream (2018)" },
        { "express-cookies", "*", "pulled in the getcookies backdoor (2018)" },
        { "fabric-js", "*", "typosquat stealing environment variables (hacktask, 2017)" },
        { "faker", "6.6.6", "sabotaged release (2022)" },
        { "fallguys", "*", "Discord token stealer (2020)" },
        { "ffmepg", "*", "typosquat stealing environment variables (hacktask, 2017)" },
        { "flatmap-stream", "*", "injected into event-stream to steal Copay wallets (2018)" },
        { "getcookies", "*", "backdoor (2018)" },
        { "gruntcli", "*", "typosquat stealing environment variables (hacktask, 2017)" },
        { "has-ansi", "6.0.1", "crypto-wallet hijacker in releases from a phished maintainer (2025)" },
        { "http-fetch-cookies", "*", "pulled in the getcookies backdoor (2018)" },
        { "http-proxy.js", "*", "typosquat stealing environment variables (hacktask, 2017)" },
        { "is-arrayish", "0.3.3", "crypto-wallet hijacker in releases from a phished maintainer (2025)" },
        { "jdb.js", "*", "njRAT dropper (2021)" },
        { "jquery.js", "*", "typosquat stealing environment variables (hacktask, 2017)" },
        { "klow", "*", "cryptominer posing as ua-parser-js (2021)" },
        { "klown", "*", "cryptominer posing as ua-parser-js (2021)" },
        { "mongose", "*", "typosquat stealing environment variables (hacktask, 2017)" },
        { "mssql-node", "*", "typosquat stealing environment variables (hacktask, 2017)" },
        { "mssql.js", "*", "typosquat stealing environment variables (hacktask, 2017)" },
        { "mysqljs", "*", "typosquat stealing environment variables (hacktask, 2017)" },
        { "noblox.js-proxy", "*", "trojan, typosquat of noblox.js (2021)" },
        { "node-fabric", "*", "typosquat stealing environment variables (hacktask, 2017)" },
        { "node-ipc", "10.1.1 10.1.2", "protestware overwriting files (CVE-2022-23812)" },
        { "node-opencv", "*", "typosquat stealing environment variables (hacktask, 2017)" },
        { "node-opensl", "*", "typosquat stealing environment variables (hacktask, 2017)" },
        { "node-openssl", "*", "typosquat stealing environment variables (hacktask, 2017)" },
        { "node-sqlite", "*", "typosquat stealing environment variables (hacktask, 2017)" },
        { "node-tkinter", "*", "typosquat stealing environment variables (hacktask, 2017)" },
        { "nodecaffe", "*", "typosquat stealing environment variables (hacktask, 2017)" },
        { "nodefabric", "*", "typosquat stealing environment variables (hacktask, 2017)" },
        { "nodeffmpeg", "*", "typosquat stealing environment variables (hacktask, 2017)" },
        { "nodemailer-js", "*", "typosquat stealing environment variables (hacktask, 2017)" },
        { "nodemailer.js", "*", "typosquat stealing environment variables (hacktask, 2017)" },
        { "nodemssql", "*", "typosquat stealing environment variables (hacktask, 2017)" },
        { "noderequest", "*", "typosquat stealing environment variables (hacktask, 2017)" },
        { "nodesass", "*", "typosquat stealing environment variables (hacktask, 2017)" },
        { "nodesqlite", "*", "typosquat stealing environment variables (hacktask, 2017)" },
        { "nx", "20.9.0 20.10.0 20.11.0 20.12.0 21.5.0 21.6.0 21.7.0 21.8.0", "credential stealer in hijacked releases (s1ngularity, 2025)" },
        { "okhsa", "*", "cryptominer (2021)" },
        { "opencv.js", "*", "typosquat stealing environment variables (hacktask, 2017)" },
        { "openssl.js", "*", "typosquat stealing environment variables (hacktask, 2017)" },
        { "peacenotwar", "*", "protestware module (2022)" },
        { "proxy.js", "*", "typosquat stealing environment variables (hacktask, 2017)" },
        { "rc", "1.2.9 1.3.9 2.3.9", "hijacked releases with a password stealer (2021)" },
        { "shadowsock", "*", "typosquat stealing environment variables (hacktask, 2017)" },
        { "simple-swizzle", "0.2.3", "crypto-wallet hijacker in releases from a phished maintainer (2025)" },
        { "slice-ansi", "7.1.1", "crypto-wallet hijacker in releases from a phished maintainer (2025)" },
        { "sqlite.js", "*", "typosquat stealing environment variables (hacktask, 2017)" },
        { "sqliter", "*", "typosquat stealing environment variables (hacktask, 2017)" },
        { "sqlserver", "*", "typosquat stealing environment variables (hacktask, 2017)" },
        { "strip-ansi", "7.1.1", "crypto-wallet hijacker in releases from a phished maintainer (2025)" },
        { "supports-color", "10.2.1", "crypto-wallet hijacker in releases from a phished maintainer (2025)" },
        { "supports-hyperlinks", "4.1.1", "crypto-wallet hijacker in releases from a phished maintainer (2025)" },
        { "tkinter", "*", "typosquat stealing environment variables (hacktask, 2017)" },
        { "twilio-npm", "*", "reverse shell (2020)" },
        { "ua-parser-js", "0.7.29 0.8.0 1.0.0", "hijacked releases with a cryptominer and password stealer (2021)" },
        { "wrap-ansi", "9.0.1", "crypto-wallet hijacker in releases from a phished maintainer (2025)" },
        { "xrpl", "2.14.2 4.2.1 4.2.2 4.2.3 4.2.4", "private-key stealer in hijacked releases (2025)" },
};

static const char *const POPULAR_PYPI[] = {
        "absl-py", "aiobotocore", "aiofiles", "aiohappyeyeballs", "aiohttp", "aiosignal", "alembic",
        "amqp", "annotated-doc", "annotated-types", "anthropic", "anyio", "arrow", "asgiref",
        "asn1crypto", "astroid", "asttokens", "async-timeout", "attrs", "authlib", "awscli",
        "azure-core", "azure-identity", "azure-storage-blob", "babel", "backoff", "bcrypt",
        "beautifulsoup4", "billiard", "black", "blinker", "boto", "boto3", "botocore", "build",
        "cachetools", "cattrs", "celery", "certifi", "cffi", "cfgv", "chardet",
        "charset-normalizer", "click", "cloudpickle", "colorama", "colorlog", "confluent-kafka",
        "contourpy", "coverage", "cryptography", "cycler", "cython", "dash", "databricks-sdk",
        "databricks-sql-connector", "datasets", "dbt-core", "decorator", "defusedxml", "deprecated",
        "dill", "distlib", "distro", "django", "dnspython", "docker", "docstring-parser",
        "docutils", "durationpy", "editables", "elasticsearch", "email-validator", "et-xmlfile",
        "exceptiongroup", "execnet", "executing", "fastapi", "fastjsonschema", "filelock", "fire",
        "flake8", "flask", "flask-cors", "fonttools", "frozenlist", "fsspec", "gcsfs", "gensim",
        "gitdb", "gitpython", "google-analytics-admin", "google-api-core",
        "google-api-python-client", "google-auth", "google-auth-httplib2", "google-auth-oauthlib",
        "google-cloud-aiplatform", "google-cloud-batch", "google-cloud-bigquery",
        "google-cloud-compute", "google-cloud-core", "google-cloud-kms",
        "google-cloud-secret-manager", "google-cloud-storage", "google-crc32c", "google-genai",
        "google-resumable-media", "googleapis-common-protos", "greenlet", "grpc-google-iam-v1",
        "grpcio", "grpcio-health-checking", "grpcio-status", "grpcio-tools", "gunicorn", "h11",
        "h2", "h5py", "hatchling", "hf-xet", "hpack", "httpcore", "httplib2", "httptools", "httpx",
        "httpx-sse", "huggingface-hub", "humanize", "hyperframe", "identify", "idna", "imageio",
        "importlib-metadata", "iniconfig", "ipython", "isodate", "isort", "itsdangerous",
        "jaraco-classes", "jaraco-context", "jaraco-functools", "jedi", "jeepney", "jellyfish",
        "jinja2", "jiter", "jmespath", "joblib", "jsonpatch", "jsonpath-ng", "jsonpointer",
        "jsonschema", "jsonschema-specifications", "jupyter-client", "jupyter-core", "kafka-python",
        "keras", "keyring", "kiwisolver", "kombu", "kubernetes", "langchain", "langchain-core",
        "ldap3", "librt", "lightgbm", "litellm", "llvmlite", "loguru", "lxml", "mako", "markdown",
        "markdown-it-py", "markupsafe", "marshmallow", "matplotlib", "matplotlib-inline", "mccabe",
        "mcp", "mdurl", "mock", "more-itertools", "mpmath", "msal", "msal-extensions", "msgpack",
        "multidict", "multiprocess", "mypy", "mypy-extensions", "nbformat", "nest-asyncio",
        "networkx", "nltk", "nodeenv", "numba", "numpy", "oauth2client", "oauthlib", "openai",
        "opencv-python", "openpyxl", "opentelemetry-api", "opentelemetry-exporter-otlp",
        "opentelemetry-exporter-otlp-proto-common", "opentelemetry-exporter-otlp-proto-grpc",
        "opentelemetry-exporter-otlp-proto-http", "opentelemetry-instrumentation",
        "opentelemetry-instrumentation-requests", "opentelemetry-proto", "opentelemetry-sdk",
        "opentelemetry-semantic-conventions", "opentelemetry-util-http", "orjson", "packaging",
        "pandas", "pandas-stubs", "paramiko", "parso", "pathspec", "patsy", "pendulum", "pexpect",
        "pika", "pillow", "pip", "platformdirs", "plotly", "pluggy", "poetry-core", "pre-commit",
        "prometheus-client", "prompt-toolkit", "propcache", "proto-plus", "protobuf", "psutil",
        "psycopg", "psycopg2", "psycopg2-binary", "ptyprocess", "pure-eval", "py4j", "pyarrow",
        "pyasn1", "pyasn1-modules", "pycodestyle", "pycparser", "pycryptodome", "pycryptodomex",
        "pydantic", "pydantic-ai-slim", "pydantic-core", "pydantic-graph", "pydantic-settings",
        "pyee", "pyflakes", "pygame", "pygments", "pyinstaller", "pyjwt", "pylint", "pymongo",
        "pymysql", "pynacl", "pyodbc", "pyopenssl", "pyparsing", "pyperclip", "pyproject-hooks",
        "pyqt5", "pyrsistent", "pyserial", "pyspark", "pytest", "pytest-asyncio", "pytest-cov",
        "pytest-json-ctrf", "pytest-mock", "pytest-xdist", "python-dateutil", "python-discovery",
        "python-dotenv", "python-json-logger", "python-multipart", "pytz", "pywin32", "pyyaml",
        "pyzmq", "rapidfuzz", "redis", "referencing", "regex", "requests", "requests-oauthlib",
        "requests-toolbelt", "rich", "rpds-py", "rsa", "ruamel-yaml", "ruff", "s3fs", "s3transfer",
        "safetensors", "scapy", "scikit-image", "scikit-learn", "scipy", "scrapy", "seaborn",
        "secretstorage", "selenium", "sentry-sdk", "setuptools", "setuptools-scm", "sglang",
        "shellingham", "simplejson", "six", "smmap", "sniffio", "snowflake-connector-python",
        "sortedcontainers", "soupsieve", "spacy", "sphinx", "sqlalchemy", "sqlalchemy-utils",
        "sqlparse", "sse-starlette", "stack-data", "starlette", "statsmodels", "structlog", "sympy",
        "tabulate", "tenacity", "tensorboard", "tensorflow", "termcolor", "textual",
        "threadpoolctl", "tiktoken", "tokenizers", "toml", "tomli", "tomlkit", "torch",
        "torchaudio", "torchvision", "tornado", "tox", "tqdm", "traitlets", "transformers",
        "trove-classifiers", "twisted", "typer", "types-requests", "typing-extensions",
        "typing-inspect", "typing-inspection", "tzdata", "tzlocal", "ujson", "uritemplate",
        "urllib3", "uv", "uvicorn", "uvloop", "vine", "virtualenv", "watchdog", "watchfiles",
        "wcwidth", "weaviate-client", "webencodings", "websocket-client", "websockets", "werkzeug",
        "wheel", "wrapt", "wxpython", "xgboost", "xlrd", "xlsxwriter", "xmltodict", "xxhash",
        "yarl", "ydb", "zipp", "zope-interface", "zstandard",
};

static const char *const POPULAR_NPM[] = {
        "@angular/core", "@apollo/client", "@aws-sdk/client-s3", "@aws-sdk/types",
        "@babel/code-frame", "@babel/compat-data", "@babel/core", "@babel/generator",
        "@babel/helper-compilation-targets", "@babel/helper-module-imports",
        "@babel/helper-module-transforms", "@babel/helper-plugin-utils",
        "@babel/helper-string-parser", "@babel/helper-validator-identifier",
        "@babel/helper-validator-option", "@babel/helpers", "@babel/parser", "@babel/preset-env",
        "@babel/runtime", "@babel/template", "@babel/traverse", "@babel/types", "@ctrl/tinycolor",
        "@emotion/react", "@esbuild/linux-x64", "@faker-js/faker", "@google-cloud/storage",
        "@img/sharp-libvips-linuxmusl-x64", "@img/sharp-linuxmusl-x64", "@jest/schemas",
        "@jest/types", "@jridgewell/gen-mapping", "@jridgewell/resolve-uri",
        "@jridgewell/sourcemap-codec", "@jridgewell/trace-mapping", "@mui/material", "@nestjs/core",
        "@nodelib/fs.stat", "@octokit/rest", "@opentelemetry/core", "@prisma/client",
        "@reduxjs/toolkit", "@rollup/plugin-node-resolve", "@rollup/rollup-linux-x64-musl",
        "@sentry/node", "@sinclair/typebox", "@smithy/is-array-buffer", "@smithy/types",
        "@smithy/util-buffer-from", "@smithy/util-utf8", "@solana/web3.js", "@swc/core",
        "@tailwindcss/oxide-linux-x64-musl", "@tanstack/react-query", "@testing-library/react",
        "@types/estree", "@types/json-schema", "@types/node", "@types/react", "@types/yargs",
        "@typescript-eslint/eslint-plugin", "@typescript-eslint/parser",
        "@typescript-eslint/scope-manager", "@typescript-eslint/type-utils",
        "@typescript-eslint/types", "@typescript-eslint/typescript-estree",
        "@typescript-eslint/utils", "@typescript-eslint/visitor-keys",
        "@unrs/resolver-binding-linux-x64-musl", "@vitejs/plugin-react", "@vue/compiler-sfc",
        "acorn", "agent-base", "ajv", "amqplib", "ansi-escapes", "ansi-regex", "ansi-styles",
        "antd", "anymatch", "apollo-server", "arg", "argparse", "async", "asynckit", "autoprefixer",
        "aws-sdk", "axios", "babel-core", "babel-loader", "balanced-match", "base64-js", "bcrypt",
        "bcryptjs", "better-sqlite3", "big.js", "bignumber.js", "bluebird", "bn.js", "body-parser",
        "bootstrap", "boxen", "brace-expansion", "braces", "browserify", "browserslist", "buffer",
        "bull", "bunyan", "busboy", "bytes", "call-bind-apply-helpers", "call-bound", "callsites",
        "camelcase", "caniuse-lite", "canvas", "chai", "chalk", "chalk-template", "chart.js",
        "cheerio", "chokidar", "ci-info", "class-transformer", "class-validator", "classnames",
        "cli-cursor", "cli-table3", "cliui", "coa", "color", "color-convert", "color-name",
        "color-string", "colors", "combined-stream", "commander", "concat-map", "concurrently",
        "connect", "content-disposition", "convert-source-map", "cookie", "cookie-parser",
        "core-js", "cors", "cosmiconfig", "cron", "cross-env", "cross-spawn", "crypto-js",
        "css-loader", "cssnano", "csstype", "csv-parse", "cypress", "d3", "date-fns", "dayjs",
        "debug", "debug-log", "decamelize", "decimal.js", "delayed-stream", "depd", "detect-libc",
        "diff", "doctrine", "dotenv", "dunder-proto", "eastasianwidth", "echarts", "ejs",
        "electron", "electron-to-chromium", "elliptic", "emoji-regex", "encodeurl", "entities",
        "error-ex", "es-define-property", "es-errors", "es-object-atoms", "es-set-tostringtag",
        "esbuild", "escalade", "escape-string-regexp", "eslint", "eslint-config-airbnb",
        "eslint-config-prettier", "eslint-plugin-react", "eslint-scope", "eslint-visitor-keys",
        "espree", "esprima", "estraverse", "estree-walker", "esutils", "ethers", "event-stream",
        "eventemitter3", "events", "execa", "express", "express-session", "extend", "faker",
        "fast-deep-equal", "fast-glob", "fast-json-stable-stringify", "fast-xml-parser", "fastify",
        "fastq", "figlet", "file-entry-cache", "fill-range", "finalhandler", "find-up", "firebase",
        "flat-cache", "foreground-child", "form-data", "formidable", "fs-extra", "function-bind",
        "get-caller-file", "get-intrinsic", "get-proto", "get-stream", "glob", "glob-parent",
        "globals", "globby", "gopd", "got", "graceful-fs", "graphql", "grunt", "gulp", "handlebars",
        "has-ansi", "has-flag", "has-symbols", "has-tostringtag", "hasown", "helmet",
        "highlight.js", "html-webpack-plugin", "http-errors", "http-proxy", "http-proxy-agent",
        "http-proxy-middleware", "http-server", "https-proxy-agent", "human-signals", "husky",
        "iconv-lite", "ignore", "immer", "immutable", "import-fresh", "inflight", "inherits", "ini",
        "inquirer", "ioredis", "is-arrayish", "is-core-module", "is-docker", "is-extglob",
        "is-fullwidth-code-point", "is-glob", "is-number", "is-stream", "is-wsl", "isarray",
        "isexe", "jackspeak", "jest", "jest-util", "jest-worker", "jimp", "joi", "jquery",
        "js-cookie", "js-tokens", "js-yaml", "jsdom", "jsesc", "json-schema",
        "json-schema-traverse", "json5", "jsonfile", "jsonschema", "jsonwebtoken", "kafkajs",
        "keyv", "kind-of", "knex", "koa", "leaflet", "less", "levn", "lightningcss-linux-x64-musl",
        "lines-and-columns", "lint-staged", "locate-path", "lodash", "lodash-es", "lodash.get",
        "lodash.merge", "log4js", "lru-cache", "luxon", "magic-string", "make-dir", "marked",
        "math-intrinsics", "merge-stream", "micromatch", "mime", "mime-db", "mime-types",
        "mimic-fn", "minimatch", "minimist", "minipass", "mkdirp", "mobx", "mocha", "moment",
        "mongodb", "mongoose", "morgan", "ms", "multer", "mysql", "mysql2", "nanoid", "negotiator",
        "next", "nock", "node-cron", "node-fetch", "node-forge", "node-gyp", "node-ipc",
        "node-releases", "node-sass", "nodemailer", "nodemon", "normalize-path", "npm-run-path",
        "nuxt", "nx", "object-assign", "object-inspect", "on-finished", "once", "onetime", "open",
        "openai", "optionator", "ora", "p-limit", "p-locate", "papaparse", "parcel", "parse-json",
        "parse5", "passport", "path-exists", "path-key", "path-parse", "path-scurry",
        "path-to-regexp", "path-type", "pdfkit", "pg", "picocolors", "picomatch", "pify", "pino",
        "playwright", "postcss", "postcss-selector-parser", "preact", "prelude-ls", "prettier",
        "pretty-format", "prisma", "process", "prop-types", "pug", "punycode", "puppeteer", "qs",
        "query-string", "querystring", "ramda", "range-parser", "raw-body", "rc", "react",
        "react-dom", "react-is", "react-native", "react-redux", "react-router", "react-router-dom",
        "readable-stream", "readdirp", "redis", "redux", "reflect-metadata", "regenerator-runtime",
        "request", "require-directory", "require-from-string", "resolve", "resolve-from", "restify",
        "restore-cursor", "reusify", "rimraf", "rollup", "rxjs", "safe-buffer", "safer-buffer",
        "sass", "scheduler", "schema-utils", "selenium-webdriver", "semver", "send", "sequelize",
        "serve", "serve-static", "setprototypeof", "sharp", "shebang-command", "shebang-regex",
        "shelljs", "shortid", "side-channel", "signal-exit", "simple-swizzle", "sinon", "slash",
        "slice-ansi", "socket.io", "socket.io-client", "source-map", "source-map-js",
        "source-map-support", "sqlite3", "statuses", "string-width", "string_decoder", "strip-ansi",
        "strip-bom", "strip-final-newline", "strip-json-comments", "stripe", "style-loader",
        "styled-components", "superagent", "supertest", "supports-color", "supports-hyperlinks",
        "supports-preserve-symlinks-flag", "svelte", "tailwindcss", "tar", "telecom-mas-agent",
        "terser", "three", "through2", "to-regex-range", "tough-cookie", "tr46", "ts-node", "tslib",
        "tsx", "tweetnacl", "twilio", "type-check", "type-fest", "typeorm", "typescript",
        "ua-parser-js", "uglify-js", "underscore", "undici-types", "universalify",
        "update-browserslist-db", "uri-js", "url", "util", "util-deprecate", "uuid", "validator",
        "vary", "vite", "vue", "vue-router", "vuex", "web3", "webdriverio", "webidl-conversions",
        "webpack", "webpack-cli", "webpack-dev-server", "whatwg-url", "which", "winston",
        "wrap-ansi", "wrappy", "write-file-atomic", "ws", "xlsx", "xml2js", "xrpl", "y18n",
        "yallist", "yaml", "yargs", "yargs-parser", "yocto-queue", "yup", "zod", "zone.js",
};

static const char *const LEGIT_PYPI[] = {
        "aiofile", "beautifulsoup", "bpython", "bs4", "cchardet", "crick", "ctransformers",
        "cwcwidth", "dataclasses", "dataset", "datazets", "dbt-score", "djongo", "docker-py",
        "dydantic", "elasticsearch5", "elasticsearch6", "elasticsearch7", "elasticsearch8",
        "elasticsearch9", "fabric2", "fabric3", "fastai", "git-python", "gitdb2", "google-oauth",
        "grequests", "gsutil", "hjson", "httpr", "hyper", "identity", "ijson", "ipytest", "isolate",
        "jinja", "jiwer", "jsonpath", "kombo", "markdown2", "mocker", "msgpack-python", "myjwt",
        "nest-asyncio2", "ngboost", "nose2", "oauth2-client", "openapi", "panda", "parse", "parsl",
        "parsy", "pathy", "pbspark", "persistent", "psycopg-binary", "py-bcrypt", "py-redis",
        "pyaml", "pyasn", "pyelasticsearch", "pygam", "pyjdbc", "pyjsonpatch", "pylink", "pymantic",
        "pymssql", "pypyodbc", "pyqt6", "pyshark", "pytest-csv", "python-backoff", "pytorch",
        "pytzdata", "pyyml", "retworkx", "scanpy", "scipp", "scrypt", "simpy", "slack", "smmap2",
        "spython", "tensorboardx", "tombi", "torchx", "typing", "unicorn", "uri-template", "usort",
        "vbuild", "vyper", "websocket", "willow", "wsgiref", "xoto3",
};

static const char *const LEGIT_NPM[] = {
        "ansistyles", "aws-cdk", "brace", "buffers", "callsite", "camel-case", "cli-table",
        "colord", "colour", "cookies", "crypt", "css-parse", "csv-parser", "dargs", "debuglog",
        "enquirer", "es-cookie", "eventemitter2", "findup", "gaxios", "global", "grant", "graphiql",
        "has-own", "inherit", "is-blob", "isnumber", "isstream", "jsdoc", "json3", "jsonc", "jsonp",
        "lodash.set", "mimer", "mkdirp2", "mquery", "mssql", "node-uuid", "node-xlsx",
        "object.assign", "one-time", "parse", "parsejson", "postcss-js", "preact-router",
        "punycode.js", "rambda", "react-vis", "recharts", "requests", "semiver", "servie",
        "set-proto", "sqlite", "synckit", "through", "tslint", "tslint-config-prettier", "tsutils",
        "ttypescript", "uglify-es", "urijs", "vasync", "xml-js", "xtend", "yaml-js", "yamljs",
};

#define LIST(eco, pypi, npm) ((eco) == DEP_PYPI ? (pypi) : (npm))
#define LIST_N(eco, pypi, npm) ((eco) == DEP_PYPI ? ELEMENTSOF(pypi) : ELEMENTSOF(npm))

static int cmp_name(const void *key, const void *elem) {
        return strcmp(key, *(const char *const *) elem);
}

static int cmp_malicious(const void *key, const void *elem) {
        return strcmp(key, ((const struct pkg_malicious *) elem)->name);
}

static bool in_names(const char *const *v, size_t n, const char *name) {
        return name && bsearch(name, v, n, sizeof(*v), cmp_name) != NULL;
}

const struct pkg_malicious *pkglist_malicious_find(enum dep_ecosystem eco, const char *name) {
        size_t n;
        const struct pkg_malicious *v = pkglist_malicious(eco, &n);
        return name ? bsearch(name, v, n, sizeof(*v), cmp_malicious) : NULL;
}

bool pkglist_malicious_covers(const struct pkg_malicious *m, enum dep_ecosystem eco, const char *version) {
        if (streq(m->versions, "*"))
                return true;
        if (!version)
                return false;
        for (const char *p = m->versions; *p;) {
                size_t len = strcspn(p, " ");
                char v[VERSION_MAX_LEN + 1];
                if (len <= VERSION_MAX_LEN) {
                        memcpy(v, p, len);
                        v[len] = '\0';
                        int c;
                        int r = eco == DEP_PYPI ? pep440_compare(v, version, &c) : semver_compare(v, version, &c);
                        if (streq(v, version) || (r == 0 && c == 0))
                                return true;
                }
                p += len;
                p += strspn(p, " ");
        }
        return false;
}

bool pkglist_is_popular(enum dep_ecosystem eco, const char *name) {
        return in_names(LIST(eco, POPULAR_PYPI, POPULAR_NPM), LIST_N(eco, POPULAR_PYPI, POPULAR_NPM), name);
}

bool pkglist_is_legit(enum dep_ecosystem eco, const char *name) {
        return in_names(LIST(eco, LEGIT_PYPI, LEGIT_NPM), LIST_N(eco, LEGIT_PYPI, LEGIT_NPM), name);
}

const char *const *pkglist_popular(enum dep_ecosystem eco, size_t *ret_n) {
        *ret_n = LIST_N(eco, POPULAR_PYPI, POPULAR_NPM);
        return LIST(eco, POPULAR_PYPI, POPULAR_NPM);
}

const char *const *pkglist_legit(enum dep_ecosystem eco, size_t *ret_n) {
        *ret_n = LIST_N(eco, LEGIT_PYPI, LEGIT_NPM);
        return LIST(eco, LEGIT_PYPI, LEGIT_NPM);
}

const struct pkg_malicious *pkglist_malicious(enum dep_ecosystem eco, size_t *ret_n) {
        *ret_n = LIST_N(eco, MALICIOUS_PYPI, MALICIOUS_NPM);
        return LIST(eco, MALICIOUS_PYPI, MALICIOUS_NPM);
}
