// SPDX-License-Identifier: MIT

package alliance

// BindingVersion is the version of include/alliance.h this binding was written for; the
// version_policy test checks it against the header. LibraryVersion() is the library
// actually loaded, HeaderVersionNumber the header it was compiled against.
const BindingVersion = "0.1.0"
