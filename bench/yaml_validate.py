# Runs a tripleo-heat-templates branch's tools/yaml-validate.py the way its
# tox pep8 environment does (python ./tools/yaml-validate.py . from the
# tree's root), under PyYAML 6: the script calls yaml.load(stream) without a
# Loader, which PyYAML 6 refuses, so yaml.load is given PyYAML 5's default,
# yaml.Loader (the full Python loader), and nothing else changes.
#
# Usage (from the tree to check): python3 yaml_validate.py SCRIPT
import runpy
import sys

import yaml

_load = yaml.load


def load(stream, Loader=yaml.Loader):
    return _load(stream, Loader=Loader)


yaml.load = load
script = sys.argv[1]
sys.argv = [script, '.']
runpy.run_path(script, run_name='__main__')
