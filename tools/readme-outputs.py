#!/usr/bin/env python3
"""readme-outputs.py PORTSIM - rewrite the marked output blocks of README.md.

A fenced block right after '<!-- output: COMMAND -->' is replaced by what
COMMAND prints (its first line '$ ...', the command as a reader types it, is
kept).  COMMAND runs as tests/e2e_readme.sh runs it: from the repository
root under bash, 'portsim' on PATH being PORTSIM, PORTSIM_DB a fresh database
with the demo's two runs, or, for a command with '--sweep kb319502-remedies',
one with that sweep.
'<!-- excerpt: ... -->' blocks are left alone (they are chosen by hand; the
test checks them).  Review the diff like code.  Cost: the commands' time.
"""
import os
import re
import subprocess
import sys
import tempfile

MARK = re.compile(r'^<!-- output: (.*) -->$')


def main():
    portsim = os.path.realpath(sys.argv[1])
    root = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.mkdir(os.path.join(tmp, 'bin'))
        os.symlink(portsim, os.path.join(tmp, 'bin', 'portsim'))
        env = dict(os.environ, PATH=os.path.join(tmp, 'bin') + ':' + os.environ['PATH'],
                   PORTSIM_DB=os.path.join(tmp, 'portsim.db'))
        lines = open('README.md').read().split('\n')

        def sh(cmd):
            e = dict(env)
            if '--sweep kb319502-remedies' in cmd:
                e['PORTSIM_DB'] = os.path.join(tmp, 'sweep.db')
            return subprocess.run(['bash', '-o', 'pipefail', '-c', cmd], cwd=root, env=e,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  text=True).stdout

        sh('portsim run experiments/kb319502/kb319502.ini --quiet >/dev/null; '
           'portsim run experiments/kb319502/remedy-maxuserport.ini --quiet >/dev/null')
        if any('--sweep kb319502-remedies' in l for l in lines if MARK.match(l)):
            subprocess.run(['portsim', 'sweep', 'experiments/kb319502/remedies.sweep', '--quiet'],
                           cwd=root, check=True, stdout=subprocess.DEVNULL,
                           env=dict(env, PORTSIM_DB=os.path.join(tmp, 'sweep.db')))
        out, i = [], 0
        while i < len(lines):
            m = MARK.match(lines[i])
            out.append(lines[i])
            i += 1
            if not m or i >= len(lines) or not lines[i].startswith('```'):
                continue
            out.append(lines[i])
            i += 1
            first = lines[i] if lines[i].startswith('$ ') else None
            while not lines[i].startswith('```'):
                i += 1
            if first:
                out.append(first)
            out.extend(sh(m.group(1)).rstrip('\n').split('\n'))
        open('README.md', 'w').write('\n'.join(out))


main()
