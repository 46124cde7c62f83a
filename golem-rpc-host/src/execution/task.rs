//! The logical "task" a thread is executing: an id for deadlock detection, the chain of workers
//! entered so far (for error messages and the depth limit) and a rough native-stack budget.
//!
//! A task starts at a top-level host API call or at a background invocation and ends when that
//! call returns. Blocking RPC calls made by guests run inside the caller's task, on the same
//! thread when the stack allows it, otherwise on a helper thread that carries the same task.

use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Identifies one task (see the module docs).
pub(crate) type TaskId = u64;

/// Native stack the host assumes for threads it did not create (Rust's default for spawned
/// threads; the main thread usually has more).
const FOREIGN_STACK_SIZE: usize = 2 << 20;

/// Native stack of threads the host spawns (background invocations, stack hops).
pub(crate) const HOST_THREAD_STACK_SIZE: usize = 16 << 20;

/// Maximum native stack a guest may use per entry (configured on the engine).
pub(crate) const MAX_WASM_STACK: usize = 512 << 10;

/// Stack reserved for one more nested worker call: the guest's own limit plus host frames.
const NESTED_CALL_STACK_BUDGET: usize = MAX_WASM_STACK + (384 << 10);

static NEXT_TASK: AtomicU64 = AtomicU64::new(1);

/// A fresh task id.
pub(crate) fn new_task_id() -> TaskId {
    NEXT_TASK.fetch_add(1, Ordering::Relaxed)
}

/// What a thread knows about the task it runs.
#[derive(Debug, Clone)]
pub(crate) struct TaskContext {
    id: TaskId,
    chain: Vec<Arc<str>>,
    stack_base: usize,
    stack_size: usize,
}

thread_local! {
    static CURRENT: RefCell<Option<TaskContext>> = const { RefCell::new(None) };
}

/// An approximation of the current stack pointer (the address of a local).
#[inline(never)]
fn stack_pointer() -> usize {
    let marker = 0u8;
    std::hint::black_box(&marker) as *const u8 as usize
}

/// Restores the thread's previous task context when dropped.
pub(crate) struct TaskScope {
    previous: Option<Option<TaskContext>>,
}

impl Drop for TaskScope {
    fn drop(&mut self) {
        if let Some(previous) = self.previous.take() {
            CURRENT.with(|current| *current.borrow_mut() = previous);
        }
    }
}

/// Makes sure the thread runs inside a task: keeps the current one or starts a new one.
pub(crate) fn enter_top_level() -> TaskScope {
    let active = CURRENT.with(|current| current.borrow().is_some());
    if active {
        return TaskScope { previous: None };
    }
    install(TaskContext {
        id: new_task_id(),
        chain: Vec::new(),
        stack_base: stack_pointer(),
        stack_size: FOREIGN_STACK_SIZE,
    })
}

/// Runs the thread as part of task `id` with the given worker chain, on a fresh host thread.
pub(crate) fn enter_on_host_thread(id: TaskId, chain: Vec<Arc<str>>) -> TaskScope {
    install(TaskContext {
        id,
        chain,
        stack_base: stack_pointer(),
        stack_size: HOST_THREAD_STACK_SIZE,
    })
}

fn install(context: TaskContext) -> TaskScope {
    let previous = CURRENT.with(|current| current.borrow_mut().replace(context));
    TaskScope {
        previous: Some(previous),
    }
}

/// The current task, if the thread runs one.
pub(crate) fn current() -> Option<TaskId> {
    CURRENT.with(|current| current.borrow().as_ref().map(|c| c.id))
}

/// The workers entered so far by the current task, outermost first.
pub(crate) fn chain() -> Vec<Arc<str>> {
    CURRENT.with(|current| {
        current
            .borrow()
            .as_ref()
            .map(|c| c.chain.clone())
            .unwrap_or_default()
    })
}

/// How many workers the current task has entered.
pub(crate) fn depth() -> usize {
    CURRENT.with(|current| current.borrow().as_ref().map_or(0, |c| c.chain.len()))
}

/// Whether one more nested worker call fits on this thread's native stack.
pub(crate) fn stack_allows_nested_call() -> bool {
    let sp = stack_pointer();
    CURRENT.with(|current| match current.borrow().as_ref() {
        Some(c) => c.stack_base.saturating_sub(sp) + NESTED_CALL_STACK_BUDGET <= c.stack_size,
        None => true,
    })
}

/// Pops the worker pushed by [`push_worker`] when dropped.
pub(crate) struct ChainGuard(());

impl Drop for ChainGuard {
    fn drop(&mut self) {
        CURRENT.with(|current| {
            if let Some(c) = current.borrow_mut().as_mut() {
                c.chain.pop();
            }
        });
    }
}

/// Records that the current task entered the worker `uri`.
pub(crate) fn push_worker(uri: &Arc<str>) -> ChainGuard {
    CURRENT.with(|current| {
        if let Some(c) = current.borrow_mut().as_mut() {
            c.chain.push(uri.clone());
        }
    });
    ChainGuard(())
}
