// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

namespace Greenroom {

// Hands memory the process has freed back to the system (glibc's malloc_trim).
// After a large write the allocator otherwise keeps every page it once used:
// a server that read 50,000 entities stayed at its peak size while idle.
void releaseFreedMemory();

} // namespace Greenroom
