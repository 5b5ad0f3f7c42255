#!/bin/bash
set -eux
echo 'apply puppet'
