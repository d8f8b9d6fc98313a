//! The heap: which allocator serves it, and handing freed memory back to the system.
//!
//! mimalloc rather than the system allocator: building the index allocates millions of short
//! strings (tokens, stems, keys) from three threads at once, and with glibc's malloc a third of
//! the build went to allocating and freeing (100k synthetic facts: 5.3 s with glibc, 3.5 s with
//! mimalloc, `examples/scale`). Declared here, in the library, so that the bot, the command
//! line, the tests and the benchmarks all measure the same allocator.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Returns the heap's free memory to the operating system. An allocator keeps freed memory for
/// reuse: after a reload from 100k facts back to a small file the process stayed at 2.3 GB, and
/// building an index leaves its transient buffers (tantivy's indexing arena, the analysed
/// tokens) resident. A forced collection hands every free page back (it never frees live data).
pub fn release_freed() {
    // SAFETY: mi_collect takes no pointer; it frees only memory no allocation holds.
    unsafe {
        libmimalloc_sys::mi_collect(true);
    }
}
