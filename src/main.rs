//! The `bodo` command: parses arguments into a [`bodo::Config`], runs, and maps the outcome to an
//! exit status. All the work is in the library.

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

use bodo::bins::Binning;
use bodo::ingest::{Format, IngestOptions};

const EXAMPLES: &str = "\
Examples:
  bodo run data/seoul-shinmun-kakao-outage-search.txt    the shipped search page -> reports/
  bodo run dumps/ -o reports/outage     every file under dumps/ (sorted), into reports/outage
  bodo run export.csv --encoding cp949  a CP949 (EUC-KR) CSV export
  bodo run NewsResult_20221015-20221031.xlsx   a BIGKinds Excel export
  bodo run exports.zip --parquet        every input inside a zip; Parquet copies of the tables
  bodo run dump.jsonl --excel           CSVs with a BOM, for Excel on Korean Windows
  zcat a.jsonl.gz | bodo run - --format jsonl
  echo '카카오 먹통 사태' | bodo tokenize

Exit status: 0 every record was analysed or found duplicate; 1 the run finished but some records
were rejected (listed in rejected.csv); 2 bodo could not run (bad option, unreadable input,
dictionary or output error); 130 interrupted (Ctrl-C): --out is as it was before the run.";

/// bodo (보도): how Korean news covered an event — stories, keywords and tables from a dump of
/// articles.
#[derive(Parser, Debug)]
#[command(name = "bodo", version, after_help = EXAMPLES, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Analyse article dumps: ingest, normalise, group copies into stories, morphology,
    /// entities, keywords, relevance, co-occurrence → CSV tables, charts and report.html.
    ///
    /// Writes into --out: articles.csv (every record and what became of it), clusters.csv
    /// (stories: wire copies and rewrites grouped), keywords.csv and keywords_by_day/outlet.csv,
    /// entities.csv and mentions.csv, cooccurrence.csv, timeline.csv (and timeline_binned.csv:
    /// the same counts by week, month or year, see --bin), outlets.csv,
    /// entities_by_day.csv, rejected.csv, bigkinds_entities_overlap.csv, charts/ (PNG and SVG),
    /// report.html and manifest.json (inputs with sha256, options, counts that reconcile, timings
    /// and peak memory per stage); with --parquet, NAME.parquet beside every NAME.csv.
    #[command(after_help = EXAMPLES)]
    Run(RunArgs),
    /// Print ko-dic's morphological analysis in MeCab's format (one line per morpheme, EOS after
    /// each input line).
    Tokenize {
        /// Text file to analyse, or - (the default) for stdin.
        #[arg(default_value = "-")]
        file: PathBuf,
        /// Print the keyword nouns bodo takes from each line instead (`keyword\tTAG+TAG`, then
        /// EOS), before stopwords are removed.
        #[arg(long, conflicts_with = "entities")]
        nouns: bool,
        /// Print the entities bodo finds in each line instead (`surface\tTYPE\tcanonical`, then
        /// EOS); dates resolve against --date.
        #[arg(long)]
        entities: bool,
        /// The article date that relative dates resolve against (YYYY-MM-DD), with --entities.
        #[arg(long, value_name = "DATE", requires = "entities")]
        date: Option<String>,
        /// With --entities: the rules alone, as `bodo run --entity-rules` places them.
        #[arg(long, requires = "entities")]
        entity_rules: bool,
    },
    /// Write a deterministic synthetic corpus (JSONL) built from seed articles, for benchmarks
    /// and scale tests: stories recombined from the seeds' sentences, wire copies across
    /// outlets, dates over a period.
    Synth(SynthArgs),
    /// Print the articles of the inputs as bodo analyses them, one JSON object per line
    /// (article_id, source, outlet, date, title, body after normalisation): the text that
    /// mentions.csv offsets point into.
    Normalise {
        /// Inputs, as for `bodo run`.
        #[arg(required = true, value_name = "INPUT")]
        inputs: Vec<PathBuf>,
    },
    /// Redraw the charts (charts/*.png, *.svg) and report.html of a reports directory from its
    /// tables, without analysing again (e.g. after editing a table or to change the font).
    Charts {
        /// A directory `bodo run` wrote.
        #[arg(default_value = "reports", value_name = "REPORTS_DIR")]
        reports: PathBuf,
        /// Font instead of the embedded NanumGothic (TrueType or OpenType, with Hangul).
        #[arg(long, value_name = "PATH")]
        font: Option<PathBuf>,
        /// The unit the timeline chart and the keyword heatmap are drawn in: day, week (ISO,
        /// Monday start), month, year, or auto (as in `bodo run --bin`: at most 120 timeline
        /// points and 40 heatmap columns). The tables, timeline_binned.csv included, stay as
        /// the run wrote them.
        #[arg(long, default_value = "auto", value_name = "UNIT", value_parser = bin_parser())]
        bin: Binning,
    },
}

#[derive(Args, Debug)]
struct SynthArgs {
    /// Seed inputs (any format `bodo run` reads), e.g. the shipped search page.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Number of articles to write.
    #[arg(short = 'n', long, default_value_t = 10_000)]
    articles: usize,
    /// Spread the articles' dates over this many days from 2022-10-15.
    #[arg(long, default_value_t = bodo::synth::SynthConfig::default().days)]
    days: u32,
    /// Random seed; the same seed and inputs give the same corpus.
    #[arg(long, default_value_t = 20221015)]
    seed: u64,
    /// Share of the articles that are copies of another article of the same story (wire
    /// copies in other outlets, some with the last sentences dropped or the headline tagged
    /// [종합]), hit to within 1 % over the corpus. Real dumps: about 0.25. Without it, 30 % of
    /// the stories run in 2–6 outlets, about 48 % of the articles being copies.
    #[arg(long, value_name = "F", value_parser = bodo::synth::parse_copy_share)]
    copy_share: Option<f64>,
    /// Share of a story's eojeols (space-separated words) replaced by new words a Korean
    /// analyser can read: seed nouns compounded with a particle (데이터센터복구를), numbers
    /// with units (3억2000만원, 17.5%), names (김서준씨는, 박지호 대표). Without it every word
    /// comes from the seeds and 99 % of eojeols repeat; 0.4 gives about 75 %, like real news.
    #[arg(long, value_name = "F", value_parser = bodo::synth::parse_novel_share)]
    novel_share: Option<f64>,
    /// A corpus as repetitive as real Korean news, for benchmarks of per-word caches:
    /// --copy-share 0.25 and the novel share measured to make about 75 % of eojeol tokens
    /// repeat an earlier one at 20 MB (-n 8000). --copy-share and --novel-share override it.
    #[arg(long)]
    news: bool,
    /// Output file (default: stdout).
    #[arg(short, long, value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(Args, Debug)]
struct RunArgs {
    /// Input files or directories (searched recursively, in sorted order), or - for stdin.
    /// Formats: saved portal search page (.txt), JSONL (.jsonl/.ndjson/.json), CSV/TSV with a
    /// header (.csv/.tsv), Excel workbooks such as BIGKinds exports (.xlsx); any of them
    /// compressed (.gz, .zst) or inside .zip archives; and Parquet (.parquet) as it is. Korean
    /// and English column names are understood (뉴스 식별자, 일자, 언론사, 제목, 본문, URL,
    /// 인물, 위치, 기관, 키워드 …).
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,

    /// Directory for the tables and manifest (created if missing; files in it are replaced).
    #[arg(short, long, default_value = "reports", value_name = "DIR")]
    out: PathBuf,

    /// Read every input as this format instead of detecting it: page, jsonl, csv, tsv, xlsx,
    /// parquet.
    #[arg(long, value_name = "FORMAT")]
    format: Option<Format>,

    /// Decode inputs with this encoding instead of detecting it: utf-8, cp949 (= euc-kr).
    #[arg(long, value_name = "NAME")]
    encoding: Option<String>,

    /// Worker threads (0 = one per core), polars' table writers included unless
    /// POLARS_MAX_THREADS is set. Output is identical whatever the number.
    #[arg(short = 'j', long, default_value_t = defaults().threads, value_name = "N")]
    threads: usize,

    /// Write CSVs for Excel: a UTF-8 byte-order mark so Hangul shows correctly, and text cells
    /// starting with = + - @ prefixed with ' so Excel never runs them as formulas.
    #[arg(long)]
    excel: bool,

    /// Also write every table as Parquet (NAME.parquet beside NAME.csv), for polars, DuckDB
    /// or Spark. The CSVs are always written: the report and `bodo charts` read them.
    #[arg(long)]
    parquet: bool,

    /// Read the rows a BIGKinds export marks in its 분석제외 여부 column (duplicates, photo
    /// captions …) as articles; by default they are rejected with that reason.
    #[arg(long)]
    keep_bigkinds_excluded: bool,

    /// Write into --out even when it holds files that are not a previous bodo report.
    #[arg(long)]
    force: bool,

    /// Extra stopwords, one per line (# comments); added to the shipped list. Repeatable.
    #[arg(long = "stopwords", value_name = "FILE")]
    stopword_files: Vec<PathBuf>,

    /// Drop keywords shorter than N characters (one-syllable nouns are mostly noise).
    #[arg(long, default_value_t = defaults().min_keyword_chars, value_name = "N")]
    min_keyword_chars: usize,

    /// Articles per batch: the unit of parallel work and of memory held at once.
    #[arg(long, default_value_t = defaults().batch_size, value_name = "N", hide_short_help = true)]
    batch_size: usize,

    /// Do not group copies into stories: every article is its own story (for dumps deduplicated
    /// upstream, or evaluation against article-level gold data).
    #[arg(long)]
    no_dedup: bool,

    /// Do not learn outlet templates from the dump: by default, lines, bylines and trailers that
    /// recur over weeks (or in one outlet's articles on several days) are left out of dedup's
    /// comparison and of keywords, entities and mentions; their length per article is in
    /// articles.csv (learned_boilerplate_chars). Off, only the built-in patterns are stripped.
    #[arg(long)]
    no_learned_boilerplate: bool,

    /// Two articles are one story when this share of the shorter one's character shingles
    /// appears in the other (containment).
    #[arg(long, default_value_t = defaults().dedup_threshold, value_name = "0..1")]
    dedup_threshold: f64,

    /// Characters per shingle when comparing articles.
    #[arg(long, default_value_t = defaults().shingle_size, value_name = "N")]
    shingle_size: usize,

    /// Extra names for the entity recogniser: a CSV like the shipped data/gazetteer-ko.csv
    /// (surface,type,canonical,source; type PER, ORG, LOC or TERM). Its rows override shipped
    /// rows with the same surface. Repeatable.
    #[arg(long = "user-dict", value_name = "FILE")]
    user_dicts: Vec<PathBuf>,

    /// Place entity spans with the rules alone, in bodo's own conventions, instead of the
    /// tagger trained on KLUE-NER (data/ner-klue.bin; 5-fold cross-validated exact-span F1
    /// 0.745 on KLUE news, against 0.52 for the rules). By default the tagger places spans as
    /// KLUE marks them: a bare surname or `A씨` is an unnamed person, `경찰`/`정부` are
    /// organisations, `이날` is a date, a time of day is its own TIME mention; the rules,
    /// gazetteer and date grammar give canonical names and date resolutions. With the rules
    /// alone a run takes about three quarters of the time.
    #[arg(long)]
    entity_rules: bool,

    /// The tagger: the default now (kept so that older scripts run).
    #[arg(long, hide = true, conflicts_with = "entity_rules")]
    entity_tagger: bool,

    /// Score each story's relevance against this query (e.g. "카카오 먹통") instead of the
    /// dump's own keyword centroid.
    #[arg(long, value_name = "QUERY")]
    topic: Option<String>,

    /// A story is off topic when its relevance is below this share of the median story's (with
    /// --topic: of the 90th percentile's).
    #[arg(long, default_value_t = defaults().off_topic_ratio, value_name = "0..1")]
    off_topic_ratio: f64,

    /// Count off-topic stories in the keyword, entity and co-occurrence tables too (articles.csv
    /// and clusters.csv always list them, flagged).
    #[arg(long)]
    keep_off_topic: bool,

    /// Keywords listed per day and per outlet in keywords_by_day.csv / keywords_by_outlet.csv.
    #[arg(long, default_value_t = defaults().keywords_per_group, value_name = "N")]
    keywords_per_group: usize,

    /// Nodes of the co-occurrence network: the N keywords and entities found in most stories.
    #[arg(long, default_value_t = defaults().cooccurrence_terms, value_name = "N")]
    cooccurrence_terms: usize,

    /// List a pair in cooccurrence.csv only when both terms are in at least N stories together.
    #[arg(long, default_value_t = defaults().cooccurrence_min, value_name = "N")]
    cooccurrence_min: u64,

    /// Font for the charts and report.html instead of the embedded NanumGothic (TrueType or
    /// OpenType, with Hangul).
    #[arg(long, value_name = "PATH")]
    font: Option<PathBuf>,

    /// The unit the timeline chart, the keyword heatmap and timeline_binned.csv count in: day,
    /// week (ISO, Monday to Sunday, labelled 2022-W42), month (2022-10), year (2022), or auto:
    /// the finest unit giving at most 120 points on the timeline (up to 120 days: days; up to 120
    /// weeks: weeks; up to 10 years: months; beyond: years) and at most 40 heatmap columns (up to
    /// 40 days, 40 weeks, 40 months, then years). timeline.csv stays daily.
    #[arg(long, default_value = "auto", value_name = "UNIT", value_parser = bin_parser())]
    bin: Binning,

    /// Write the tables only: no charts/ and no report.html.
    #[arg(long)]
    no_charts: bool,

    /// No progress bars and no summary line.
    #[arg(short, long)]
    quiet: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => run(args),
        Command::Tokenize {
            file,
            nouns,
            entities,
            date,
            entity_rules,
        } => {
            let mode = match (nouns, entities) {
                (true, _) => Listing::Nouns,
                (_, true) => Listing::Entities {
                    date,
                    tagger: !entity_rules,
                },
                _ => Listing::Morphemes,
            };
            tokenize(&file, mode).map(|()| ExitCode::SUCCESS)
        }
        Command::Synth(args) => synth(args).map(|()| ExitCode::SUCCESS),
        Command::Normalise { inputs } => normalise(&inputs).map(|()| ExitCode::SUCCESS),
        Command::Charts { reports, font, bin } => charts(&reports, font.as_deref(), bin),
    };
    match result {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("bodo: error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run(args: RunArgs) -> anyhow::Result<ExitCode> {
    // polars writes the tables on a pool of its own, sized from POLARS_MAX_THREADS when first
    // used (every core by default): `--threads` bounds it too, unless the variable is set. Set
    // here, before any other thread exists.
    if args.threads > 0 && std::env::var_os("POLARS_MAX_THREADS").is_none() {
        std::env::set_var("POLARS_MAX_THREADS", args.threads.to_string());
    }
    // The first Ctrl-C asks the run to stop at its next batch (nothing is written into --out);
    // a second one stops at once.
    ctrlc::set_handler(|| {
        if bodo::interrupt::requested() {
            std::process::exit(130);
        }
        bodo::interrupt::request();
        eprintln!("bodo: stopping at the next batch (Ctrl-C again to stop at once)");
    })
    .context("cannot install the Ctrl-C handler")?;
    let out_dir = args.out.clone();
    let options = bodo::RunOptions {
        format: args.format,
        encoding: args.encoding,
        threads: args.threads,
        excel: args.excel,
        parquet: args.parquet,
        keep_bigkinds_excluded: args.keep_bigkinds_excluded,
        force: args.force,
        stopwords: args.stopword_files,
        min_keyword_chars: args.min_keyword_chars,
        batch_size: args.batch_size,
        no_dedup: args.no_dedup,
        no_learned_boilerplate: args.no_learned_boilerplate,
        dedup_threshold: args.dedup_threshold,
        shingle_size: args.shingle_size,
        user_dict: args.user_dicts,
        entity_rules: args.entity_rules,
        topic: args.topic,
        off_topic_ratio: args.off_topic_ratio,
        keep_off_topic: args.keep_off_topic,
        keywords_per_group: args.keywords_per_group,
        cooccurrence_terms: args.cooccurrence_terms,
        cooccurrence_min: args.cooccurrence_min,
        font: args.font,
        bin: args.bin,
        no_charts: args.no_charts,
    };
    let config = bodo::Config {
        progress: !args.quiet && std::io::stderr().is_terminal(),
        command_line: std::env::args().collect(),
        ..options.config(args.inputs, args.out)?
    };
    let summary = match bodo::run(&config) {
        Err(bodo::Error::Interrupted) => {
            eprintln!(
                "bodo: interrupted; the reports in {} are as they were before this run",
                out_dir.display()
            );
            return Ok(ExitCode::from(130));
        }
        other => other?,
    };
    let c = summary.counts;
    if !args.quiet {
        eprintln!(
            "read {} · analysed {} · duplicates {} · rejected {}{} → {}",
            c.read,
            c.analysed,
            c.duplicate,
            c.rejected,
            if c.rejected > 0 {
                " (see rejected.csv)"
            } else {
                ""
            },
            summary.out.display()
        );
        // Where to start reading: the report when there is one.
        if summary.outputs.iter().any(|o| o == "report.html") {
            eprintln!("open {}", summary.out.join("report.html").display());
        }
    }
    Ok(if c.rejected > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// What `bodo tokenize` prints.
enum Listing {
    Morphemes,
    Nouns,
    /// With the article date relative dates resolve against, and whether the tagger places the
    /// spans.
    Entities {
        date: Option<String>,
        tagger: bool,
    },
}

fn tokenize(file: &PathBuf, mode: Listing) -> anyhow::Result<()> {
    let mut text = String::new();
    if file.as_os_str() == "-" {
        std::io::stdin()
            .read_to_string(&mut text)
            .context("reading stdin")?;
    } else {
        text = std::fs::read_to_string(file).with_context(|| file.display().to_string())?;
    }
    let morphology = bodo::morph::Morphology::load()?;
    let mut worker = morphology.worker();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match mode {
        Listing::Nouns => bodo::morph::write_nouns(&mut worker, &text, &mut out)?,
        Listing::Morphemes => bodo::morph::write_mecab(&mut worker, &text, &mut out)?,
        Listing::Entities { date, tagger } => {
            let gazetteer = bodo::entities::gazetteer::Gazetteer::load(&[])?;
            let recogniser = bodo::analyse::recogniser(gazetteer, tagger);
            bodo::entities::write_entities(
                &mut worker,
                &recogniser,
                &text,
                date.as_deref(),
                &mut out,
            )?;
        }
    }
    out.flush()?;
    Ok(())
}

fn synth(args: SynthArgs) -> anyhow::Result<()> {
    let seeds = bodo::pipeline::read_articles(&args.inputs, &IngestOptions::default())?;
    let preset = if args.news {
        bodo::synth::SynthConfig::news()
    } else {
        bodo::synth::SynthConfig::default()
    };
    let config = bodo::synth::SynthConfig {
        articles: args.articles,
        seed: args.seed,
        days: args.days,
        copy_share: args.copy_share.or(preset.copy_share),
        novel_share: args.novel_share.unwrap_or(preset.novel_share),
        ..preset
    };
    let mut out: Box<dyn Write> = match &args.out {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| path.display().to_string())?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let stats = bodo::synth::generate(&seeds, &config, &mut out)?;
    out.flush()?;
    // On stderr, so the corpus on stdout is unchanged.
    eprintln!(
        "wrote {} articles · {} stories · copies {} (copy share {:.4}) · {:.1} MB{}",
        stats.articles,
        stats.stories,
        stats.copies(),
        stats.copy_share(),
        stats.bytes as f64 / 1e6,
        match &args.out {
            Some(path) => format!(" → {}", path.display()),
            None => String::new(),
        }
    );
    Ok(())
}

fn charts(
    reports: &std::path::Path,
    font: Option<&std::path::Path>,
    bin: Binning,
) -> anyhow::Result<ExitCode> {
    let list = bodo::redraw(reports, font, bin)?;
    eprintln!(
        "{} charts and report.html → {}",
        list.drawn.len(),
        reports.display()
    );
    for (name, reason) in &list.skipped {
        eprintln!("  no {name} chart: {reason}");
    }
    Ok(ExitCode::SUCCESS)
}

fn normalise(inputs: &[PathBuf]) -> anyhow::Result<()> {
    let articles = bodo::pipeline::read_articles(inputs, &IngestOptions::default())?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for article in &articles {
        let text = bodo::normalise::normalise(article);
        let line = serde_json::json!({
            "article_id": article.article_id,
            "source": article.source,
            "outlet": article.outlet,
            "date": Some(article.date.iso()).filter(|d| !d.is_empty()),
            "title": text.title,
            "body": text.body,
        });
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    Ok(())
}

/// `bodo run`'s defaults: the library's, so the CLI and the Python bindings share them.
fn defaults() -> bodo::RunOptions {
    bodo::RunOptions::default()
}

/// `--bin`'s values, listed in the help and checked by clap; the library parses them.
fn bin_parser() -> impl clap::builder::TypedValueParser<Value = Binning> {
    use clap::builder::TypedValueParser as _;
    clap::builder::PossibleValuesParser::new(["auto", "day", "week", "month", "year"])
        .map(|unit| unit.parse::<Binning>().expect("a listed value"))
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
