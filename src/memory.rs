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

/// Runs `make` with this thread's allocations in a heap of their own, then `keep` on its result
/// with the thread's own heap again; what `make` allocated is then freed with its heap, all
/// pages at once. For short-lived structures (a syntax tree) from which something long-lived
/// is taken: made among the tree's nodes, what is kept would pin the pages the freed tree
/// leaves around it; copied out by `keep`, it sits in pages of its own.
///
/// Anything `make` allocated that is still alive when its heap goes (a lazily made
/// thread-local, say) is moved to the thread's heap, not freed: mimalloc's `mi_heap_delete`.
pub fn with_scratch_heap<T, R>(make: impl FnOnce() -> T, keep: impl FnOnce(&T) -> R) -> R {
    use libmimalloc_sys::{
        mi_heap_collect, mi_heap_delete, mi_heap_new, mi_heap_set_default, mi_heap_t,
    };

    /// Puts the thread's own heap back, even if `make` panics.
    struct Restore(*mut mi_heap_t);
    impl Drop for Restore {
        fn drop(&mut self) {
            // SAFETY: `self.0` is the heap that was this thread's default before.
            unsafe {
                mi_heap_set_default(self.0);
            }
        }
    }

    // SAFETY: a new heap, used only on this thread (mimalloc's rule for heaps); freeing its
    // blocks from any thread is allowed.
    let scratch = unsafe { mi_heap_new() };
    if scratch.is_null() {
        let made = make();
        return keep(&made);
    }
    // SAFETY: `scratch` is a live heap of this thread.
    let restore = Restore(unsafe { mi_heap_set_default(scratch) });
    let made = make();
    drop(restore);
    let kept = keep(&made);
    drop(made);
    // SAFETY: no longer the default heap. Its empty pages are freed first (deleting a heap
    // hands all its pages to the thread's heap, where only the same sizes could reuse them);
    // blocks still allocated in it are migrated to the default heap, not freed.
    unsafe {
        mi_heap_collect(scratch, true);
        mi_heap_delete(scratch);
    }
    kept
}
