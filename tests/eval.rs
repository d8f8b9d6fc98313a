//! The public question set must stay above its floors: top-1 ≥ 95 % on answerable questions
//! and ≥ 95 % of out-of-scope questions declined. Also runs the `eval` command itself.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use cyberbridge::eval::{self, EvalSet};
use cyberbridge::{knowledge, Engine};

const FLOOR: f64 = 0.95;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn public_question_set_meets_its_floors() {
    let kb = knowledge::load(&root().join("knowledge.toml")).unwrap();
    let set = EvalSet::load(&root().join("tests/eval/tune.toml")).unwrap();
    assert!(
        set.questions.len() >= 90,
        "the set needs at least 90 questions"
    );
    let out_of_scope = set.questions.iter().filter(|q| q.expects_decline()).count();
    assert!(
        out_of_scope >= 30,
        "the set needs at least 30 out-of-scope questions"
    );
    for question in set.questions.iter().filter(|q| !q.expects_decline()) {
        for id in question.accepted(&kb) {
            assert!(
                kb.fact(&id).is_some(),
                "{:?} expects unknown fact {id}",
                question.q
            );
        }
    }
    let engine = Engine::new(Arc::new(kb));
    let report = eval::run(&engine, &set);
    let failures: Vec<String> = report
        .failures
        .iter()
        .map(|f| {
            format!(
                "{:?}: expected {}, got {} ({:.2})",
                f.question, f.expected, f.got, f.confidence
            )
        })
        .collect();
    assert!(
        report.top1() >= FLOOR && report.decline_recall() >= FLOOR,
        "top-1 {:.3}, declined {:.3}; failures:\n{}",
        report.top1(),
        report.decline_recall(),
        failures.join("\n")
    );
}

#[test]
fn eval_command_exits_1_below_a_floor_and_0_above() {
    let run = |floor: &str| {
        Command::new(env!("CARGO_BIN_EXE_cyberbridge"))
            .current_dir(root())
            .args([
                "eval",
                "tests/eval/tune.toml",
                "--min-top1",
                floor,
                "--min-declined",
                "0.5",
            ])
            .output()
            .unwrap()
    };
    let passing = run("0.5");
    assert_eq!(
        passing.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&passing.stdout)
    );
    let stdout = String::from_utf8_lossy(&passing.stdout);
    for line in [
        "top-1 accuracy",
        "MRR@3",
        "decline recall",
        "decline precision",
    ] {
        assert!(stdout.contains(line), "missing {line:?} in:\n{stdout}");
    }
    let failing = run("100");
    assert_eq!(failing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&failing.stdout).contains("below floor: top-1"));
}
