/// @file
/// What every program of the project says of itself after its version line (--version): the
/// copyright and the license in one line (the LICENSE file holds the text). A macro, so that it
/// joins the version in one string literal.
#pragma once

#define PIPEX_COPYRIGHT_LINE \
    "Copyright (c) 2026 the pipex authors. MIT License: see the LICENSE file.\n"
