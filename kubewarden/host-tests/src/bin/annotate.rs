//! `annotate POLICY.wasm METADATA.yml OUT.wasm [USAGE.md]`: what `kwctl annotate
//! --metadata-path --usage-path` does, for this policy.

use std::process::ExitCode;

fn run(args: &[String]) -> Result<(), String> {
    let [module, metadata, out, rest @ ..] = args else {
        return Err("usage: annotate POLICY.wasm METADATA.yml OUT.wasm [USAGE.md]".into());
    };
    let read = |p: &String| std::fs::read(p).map_err(|e| format!("{p}: {e}"));
    let usage = match rest {
        [] => None,
        [u] => Some(String::from_utf8_lossy(&read(u)?).into_owned()),
        _ => return Err("too many arguments".into()),
    };
    let yaml = String::from_utf8(read(metadata)?).map_err(|e| format!("{metadata}: {e}"))?;
    let meta = claimcheck_kubewarden_host_tests::metadata_json(&yaml, usage.as_deref())?;
    let annotated = claimcheck_kubewarden_host_tests::annotate(&read(module)?, &meta)?;
    let tmp = format!("{out}.tmp");
    std::fs::write(&tmp, &annotated).map_err(|e| format!("{tmp}: {e}"))?;
    std::fs::rename(&tmp, out).map_err(|e| format!("{out}: {e}"))?;
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("annotate: {e}");
            ExitCode::from(2)
        }
    }
}
