//! WeChat delivery from workflows: one `notify.wechat` activity per notification, on the
//! rate-limited `{task_queue}-wechat` queue. A delivery that finally fails is recorded by the
//! activity and never fails the workflow.

use crate::activities::DeliverWechat;
use std::future::Future;
use temporalio_sdk::WorkflowContext;

/// How many futures a workflow awaits together. `futures::future::join_all` switches to
/// `FuturesOrdered` above 30, whose wakers the SDK rejects (TMPRL1100, the run never moves on):
/// fan-out goes in batches of at most this many, each awaited with the small `join_all`.
pub const BATCH: usize = 25;
const _: () = assert!(BATCH <= 30, "join_all switches to FuturesOrdered above 30");

/// Awaits every future made by `make` from `items`, at most [`BATCH`] at a time, in order; the
/// only fan-out primitive workflow code uses (see `no_unbounded_joins_in_workflow_code`).
pub async fn in_batches<I, F, Fut>(items: Vec<I>, make: F) -> Vec<Fut::Output>
where
    F: Fn(I) -> Fut,
    Fut: Future,
{
    let mut out = Vec::with_capacity(items.len());
    let mut items = items.into_iter().peekable();
    while items.peek().is_some() {
        let batch: Vec<Fut> = items.by_ref().take(BATCH).map(&make).collect();
        out.extend(futures::future::join_all(batch).await);
    }
    out
}

/// Delivers every notification in `keys` (dedupe keys), in batches.
pub async fn deliver_all<W>(ctx: &WorkflowContext<W>, keys: Vec<String>) {
    if keys.is_empty() {
        return;
    }
    let opts = crate::options::wechat(ctx.task_queue());
    let _ = in_batches(keys, |key| {
        ctx.execute_activity(DeliverWechat, key, opts.clone())
    })
    .await;
}

/// `{task_queue}-wechat`: where `notify.wechat` activities run, under the send-rate limit.
pub fn wechat_task_queue(task_queue: &str) -> String {
    format!("{task_queue}-wechat")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_keep_order_and_cover_every_item() {
        let out =
            futures::executor::block_on(in_batches((0..101).collect(), |i| async move { i * 2 }));
        assert_eq!(out, (0..101).map(|i| i * 2).collect::<Vec<_>>());
    }

    /// The TMPRL1100 trap (field notes): no workflow code may await an unbounded set of
    /// futures except through `in_batches`.
    #[test]
    fn no_unbounded_joins_in_workflow_code() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut offenders = Vec::new();
        let mut stack = vec![dir];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                let is_this_file = path.ends_with("delivery.rs");
                for (n, line) in text.lines().enumerate() {
                    let code = line.split("//").next().unwrap_or("");
                    let bad = [
                        "FuturesUnordered",
                        "FuturesOrdered",
                        "select_all",
                        "buffer_unordered",
                        "join_all",
                    ]
                    .iter()
                    .any(|p| code.contains(p));
                    if bad && !is_this_file {
                        offenders.push(format!("{}:{}: {line}", path.display(), n + 1));
                    }
                }
            }
        }
        assert!(
            offenders.is_empty(),
            "use delivery::in_batches: {offenders:#?}"
        );
    }
}
