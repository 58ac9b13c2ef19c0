#!/bin/sh
ls -la
