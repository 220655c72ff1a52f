"""Start-up: import heavy stdlib modules and Debian's numpy and yaml.

What a web service's master pays before it serves: asyncio, email, http,
json, decimal, logging, sqlite3, xml and friends, then numpy and PyYAML
from Debian's dist-packages (CPython extension modules, so PyPy is
skipped).  The command uses each module once and prints a line whose
exact text is checked.
"""

GROUP = "startup"
KIND = "startup"
REQUIRES_CPYTHON_ABI = True
LAUNCHES = 5
ARGS = ["-c", """\
import sys
sys.path.append('/usr/lib/python3/dist-packages')
import argparse, asyncio, collections, csv, dataclasses, datetime, decimal
import email.message, email.parser, http.client, http.server, json, logging
import pathlib, pickle, re, sqlite3, ssl, subprocess, tempfile, typing
import unittest, urllib.request, uuid, xml.etree.ElementTree, zipfile
import numpy, yaml
print(json.dumps([str(decimal.Decimal('1.10') * 3),
                  int(numpy.arange(10).sum()),
                  yaml.safe_dump({'ember': [1, 2]}).strip(),
                  xml.etree.ElementTree.fromstring('<a><b/></a>')[0].tag,
                  sqlite3.connect(':memory:').execute('select 6*7').fetchone()[0]]))
"""]
EXPECT_STDOUT = '["3.30", 45, "ember:\\n- 1\\n- 2", "b", 42]\n'
