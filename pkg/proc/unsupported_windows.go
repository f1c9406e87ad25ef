package proc

// ikemu is excluded from Windows on purpose, with this one error instead
// of many: its lab needs POSIX file locks (flock), file ownership (the
// vendors' superuser rule) and a memory-backed runtime directory for
// token PINs, none of which Windows has in the same form. Run ikemu in
// WSL or in the container image.
var _ = ikemu_does_not_build_for_Windows_use_WSL_or_the_container_image
