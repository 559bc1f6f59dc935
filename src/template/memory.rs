//! The memory budget of a render (`MAX_MEMORY`), kept by the global
//! allocator, as nothing else sees a template's strings grow: Tera builds
//! `s ~ s` in one request, and an allocation that fails aborts the process
//! (SIGABRT) before any error can be reported. `Counting` is the system
//! allocator with a count per thread, armed only while a render runs there:
//! each request and release moves the room left, and a request past it ends
//! the process with the render's E0504 problem, as the watchdog does for
//! time (`budget::end`); an allocator may not unwind, and the render cannot
//! be stopped from inside.
//!
//! The count is per thread because a render runs on one thread, and a
//! thread-local costs one read per allocation where nothing is armed, and no
//! shared counter for the build's threads to contend on. It is the render's
//! net growth: what it frees of memory it did not take gives it room back.
//! Only a program whose global allocator is `Counting` (the binary) has this
//! budget; elsewhere arming is a thread-local write and nothing more.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use super::budget::{MAX_MEMORY, end};
use crate::diagnostic::Diagnostic;

/// The system allocator, counting what renders take.
pub struct Counting;

/// How the render running on this thread names itself in its problem,
/// called only once it has run out of room: building the problem for every
/// render, most of which never need it, would cost more allocations than
/// the count itself.
type Describe = dyn Fn() -> Diagnostic;

thread_local! {
    /// The bytes the render running on this thread may still take; `None`
    /// where no render runs. A `Cell` without drop glue, initialised by a
    /// constant: reading it neither allocates nor registers a destructor,
    /// which an allocator could not afford.
    static ROOM: Cell<Option<usize>> = const { Cell::new(None) };
    /// The render's `Describe`, borrowed for as long as `within` runs it.
    static PROBLEM: Cell<Option<*const Describe>> = const { Cell::new(None) };
}

/// Runs `render` with this thread's allocations counted against
/// `MAX_MEMORY`; past it, the process ends with the problem `describe`
/// makes.
pub(super) fn within<T>(describe: &dyn Fn() -> Diagnostic, render: impl FnOnce() -> T) -> T {
    /// Disarms even when `render` unwinds, before `describe` is let go.
    struct Disarm;
    impl Drop for Disarm {
        fn drop(&mut self) {
            ROOM.set(None);
            PROBLEM.set(None);
        }
    }
    let describe: *const (dyn Fn() -> Diagnostic + '_) = describe;
    // SAFETY: only the lifetime is erased; `Disarm` clears the pointer
    // before this function returns or unwinds, while `describe` is still
    // borrowed, and it is read only on this thread in between (`spent`).
    let describe = unsafe { std::mem::transmute::<*const (dyn Fn() -> Diagnostic + '_), *const Describe>(describe) };
    PROBLEM.set(Some(describe));
    ROOM.set(Some(MAX_MEMORY));
    let _disarm = Disarm;
    render()
}

#[inline]
fn take(size: usize) {
    if let Some(room) = ROOM.get() {
        match room.checked_sub(size) {
            Some(left) => ROOM.set(Some(left)),
            None => spent(),
        }
    }
}

#[inline]
fn give(size: usize) {
    if let Some(room) = ROOM.get() {
        ROOM.set(Some(room.saturating_add(size)));
    }
}

#[cold]
#[inline(never)]
fn spent() -> ! {
    // Disarmed first: printing the problem allocates, through this allocator.
    ROOM.set(None);
    match PROBLEM.get() {
        Some(describe) => {
            // SAFETY: the room was armed, so this thread is inside `within`,
            // which keeps the pointer valid until it returns.
            let describe = unsafe { &*describe };
            end(&describe())
        }
        // `within` sets the problem before the room: unreachable, but an
        // allocator must not panic either.
        None => std::process::abort(),
    }
}

// SAFETY: every request goes to `System` unchanged; the count before it
// only reads and writes this thread's `ROOM`, which never allocates. A
// request the system refuses stays counted: only a fallible allocation
// (`try_reserve`) lives on after one, and its render then has that much
// less room, which errs on the safe side and leaves each method a tail call
// to the system's.
unsafe impl GlobalAlloc for Counting {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        take(layout.size());
        // SAFETY: the caller's guarantees, passed on.
        unsafe { System.alloc(layout) }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        take(layout.size());
        // SAFETY: the caller's guarantees, passed on.
        unsafe { System.alloc_zeroed(layout) }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        give(layout.size());
        // SAFETY: the caller's guarantees, passed on.
        unsafe { System.dealloc(ptr, layout) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // Only the growth is counted: doubling a string is caught at the
        // request that would pass the budget, before the system is asked.
        match new_size.checked_sub(layout.size()) {
            Some(growth) => take(growth),
            None => give(layout.size() - new_size),
        }
        // SAFETY: the caller's guarantees, passed on.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Code, Pos};

    fn describe() -> Diagnostic {
        Diagnostic::new(Code::TemplateBudget, "t.html", Pos::FILE, "rendering a.md")
    }

    #[test]
    fn a_render_is_charged_its_net_growth_and_nothing_outside_one() {
        let mib = 1 << 20;
        let layout = |size| Layout::from_size_align(size, 8).unwrap();
        // SAFETY: non-zero sizes; each block is released with its layout.
        unsafe {
            let before = Counting.alloc(layout(mib));
            assert_eq!(ROOM.get(), None, "nothing is counted outside a render");
            within(&describe, || {
                let block = Counting.alloc_zeroed(layout(mib));
                assert_eq!(ROOM.get(), Some(MAX_MEMORY - mib));
                let block = Counting.realloc(block, layout(mib), 3 * mib);
                assert_eq!(ROOM.get(), Some(MAX_MEMORY - 3 * mib), "only the growth");
                let block = Counting.realloc(block, layout(3 * mib), 2 * mib);
                assert_eq!(ROOM.get(), Some(MAX_MEMORY - 2 * mib));
                Counting.dealloc(block, layout(2 * mib));
                assert_eq!(ROOM.get(), Some(MAX_MEMORY));
                // Freeing what was there before the render gives it room back.
                Counting.dealloc(before, layout(mib));
                assert_eq!(ROOM.get(), Some(MAX_MEMORY + mib));
            });
        }
        assert_eq!((ROOM.get(), PROBLEM.get().is_some()), (None, false));
    }

    #[test]
    fn a_render_that_panics_is_disarmed() {
        let panicked = std::panic::catch_unwind(|| within(&describe, || panic!("in the render")));
        assert!(panicked.is_err());
        assert_eq!((ROOM.get(), PROBLEM.get().is_some()), (None, false));
    }
}
