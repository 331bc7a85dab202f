//! Tests of the chart module on real fonts and real files: small hand-made tables in the schemas
//! bodo writes, each chart drawn alone and all of them through `draw_all`; the PNGs decoded, the
//! SVGs read back as text. `cargo test --release charts::tests::timing -- --nocapture` prints how
//! long `draw_all` takes on tables the size of a 100k-article run.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

use crate::bins::{Bin, Binning};
use crate::charts::*;
use crate::entities::dates::{day_number, iso_day};

const TIMELINE: &str = "\
date,articles,stories,outlets,off_topic
2022-10-15,12,7,5,0
2022-10-16,30,14,8,1
2022-10-17,22,12,7,0
2022-10-18,0,0,0,0
2022-10-19,9,6,4,0
";

const KEYWORDS: &str = "\
keyword,kind,tf,df,articles,idf,tfidf,rank
카카오,ORG,97,13,18,1.069,103.69,1
서비스,NNG,86,14,19,1.0,86.0,2
복구,NNG,29,7,8,1.6286,47.22,3
화재,NNG,30,12,17,1.1,33.0,4
장애,NNG,25,11,15,1.2,30.0,5
카카오톡,TERM,24,11,16,1.2,28.8,6
네이버,ORG,29,13,18,1.069,31.0,7
데이터센터,NNG+NNG,20,9,12,1.3,26.0,8
과학기술정보통신부,ORG,15,9,10,1.3,19.5,9
과학기술정보방송통신위원회,ORG,9,4,6,1.9,17.1,10
SK C&C,ORG,19,11,16,1.2,22.8,11
먹통,NNG,18,10,14,1.25,22.5,12
김범수,PER,8,3,5,2.0,16.0,13
판교,LOC,12,8,11,1.4,16.8,14
국정감사,TERM,6,3,4,2.0,12.0,15
이용자,NNG,7,4,6,1.9,13.3,16
보상,NNG,6,4,5,1.9,11.4,17
이원화,NNP,5,3,4,2.0,10.0,18
증인,NNG,5,3,4,2.0,10.0,19
책임,NNG,4,4,4,1.9,7.6,20
대응,NNG,7,7,9,1.6,11.2,21
국민,NNG,8,8,10,1.4,11.2,22
";

const ENTITIES: &str = "\
entity,type,mentions,articles,stories,aliases_seen
카카오,ORG,97,18,13,카카오㈜
네이버,ORG,29,18,13,
SK C&C,ORG,19,16,11,SK씨앤씨
과학기술정보통신부,ORG,15,10,9,과기정통부
과학기술정보방송통신위원회,ORG,9,6,4,과방위
김범수,PER,5,5,3,
최태원,PER,3,3,2,
이해진,PER,3,3,2,
윤석열,PER,2,2,2,尹
판교 데이터센터,LOC,10,11,8,판교데이터센터
판교,LOC,4,3,2,
서울특별시,LOC,2,2,2,서울
경기 성남시 분당구,LOC,1,1,1,
2022-10-15,DATE,12,10,8,지난 15일
";

const OUTLETS: &str = "\
outlet,articles,stories,share_articles,share_stories,first_date,originated
연합뉴스,30,18,0.3,0.25,2022-10-15,9
서울신문,20,15,0.2,0.2,2022-10-15,6
뉴스1,15,12,0.15,0.16,2022-10-15,3
한겨레,12,11,0.12,0.15,2022-10-16,2
조선일보,11,10,0.11,0.13,2022-10-16,1
KBS,8,8,0.08,0.11,2022-10-17,0
";

const CLUSTERS: &str = "\
cluster_id,size,representative_id,title,outlets,n_outlets,first_date,last_date,first_outlet,relevance,off_topic
8,6,a-20,\"‘카카오 먹통’ 김범수, 24일 과방위 국감장 나오나…여야 증인 협의 진통\",연합뉴스;서울신문;뉴스1,3,2022-10-15,2022-10-16,연합뉴스,0.31,false
9,4,a-19,\"카카오 통신 대란, 손배 가능할까…법조계 “무료 서비스라 면책·경감”\",연합뉴스;한겨레,2,2022-10-16,2022-10-17,한겨레,0.19,false
10,3,a-11,서버 비용 낮추려고 판교 집중… 카카오 ‘디지털 정전’ 키웠다,서울신문;KBS,2,2022-10-16,2022-10-16,서울신문,0.28,false
11,2,a-05,[속보] ‘카카오톡 먹통 사태’에 최태원·김범수·이해진 국감 증인 채택,연합뉴스,1,2022-10-17,2022-10-17,연합뉴스,0.23,false
12,1,a-07,청와대에서 서촌까지…역사를 걷는 종로 가을 축제,조선일보,1,2022-10-18,2022-10-18,조선일보,0.02,true
13,1,a-08,카카오 “판교 데이터센터 화재 복구 95%”,뉴스1,1,2022-10-19,2022-10-19,뉴스1,0.3,false
";

const KEYWORDS_BY_DAY: &str = "\
date,keyword,tf,df,tfidf,rank
2022-10-15,카카오,20,5,21.4,1
2022-10-15,화재,12,5,13.2,2
2022-10-15,서비스,10,4,10.0,3
2022-10-16,카카오,30,9,32.1,1
2022-10-16,먹통,11,6,13.8,2
2022-10-16,복구,9,4,14.7,3
2022-10-17,김범수,6,3,12.0,1
2022-10-17,국정감사,5,3,10.0,2
2022-10-17,카카오,12,6,12.8,3
2022-10-19,보상,4,2,7.6,1
2022-10-19,과학기술정보방송통신위원회,3,2,5.7,2
";

const COOCCURRENCE: &str = "\
term_a,term_b,stories,articles,npmi
네이버,카카오,13,18,1.0
서비스,카카오,12,17,0.05
복구,서비스,7,8,0.3
데이터센터,화재,8,11,0.62
SK C&C,데이터센터,7,10,0.55
SK C&C,화재,7,9,0.48
국정감사,김범수,3,5,0.9
국정감사,증인,3,4,0.85
김범수,증인,3,4,0.8
과학기술정보방송통신위원회,국정감사,3,4,0.7
먹통,카카오톡,9,13,0.4
보상,이용자,4,5,0.75
이용자,카카오톡,4,6,0.2
과학기술정보통신부,장애,5,6,0.1
이원화,데이터센터,3,4,0.5
판교,데이터센터,6,8,0.45
책임,카카오,4,4,-0.1
대응,국민,5,6,0.15
2022-10-15,카카오,8,10,0.2
";

/// The sample tables of a dated run with outlets, or of the shipped search page (no dates, no
/// outlets: timeline, outlets and keywords_by_day have their header only).
fn write_tables(dir: &Path, dated: bool) {
    let header = |table: &str| table.lines().next().unwrap().to_string() + "\n";
    let mut files = vec![
        ("keywords.csv", KEYWORDS.to_string()),
        ("entities.csv", ENTITIES.to_string()),
        ("clusters.csv", CLUSTERS.to_string()),
        ("cooccurrence.csv", COOCCURRENCE.to_string()),
    ];
    if dated {
        files.push(("timeline.csv", TIMELINE.to_string()));
        files.push(("outlets.csv", OUTLETS.to_string()));
        files.push(("keywords_by_day.csv", KEYWORDS_BY_DAY.to_string()));
    } else {
        files.push(("timeline.csv", header(TIMELINE)));
        files.push(("outlets.csv", header(OUTLETS)));
        files.push(("keywords_by_day.csv", header(KEYWORDS_BY_DAY)));
    }
    std::fs::create_dir_all(dir).unwrap();
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
}

fn rows<T: serde::de::DeserializeOwned>(dir: &Path, name: &str) -> Vec<T> {
    read_table(&dir.join(name)).unwrap().unwrap()
}

/// Width, height and RGB(A) bytes of a PNG.
fn decode_png(path: &Path) -> (u32, u32, Vec<u8>) {
    let file = std::io::BufReader::new(std::fs::File::open(path).unwrap());
    let mut reader = png::Decoder::new(file).read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    pixels.truncate(info.buffer_size());
    (info.width, info.height, pixels)
}

/// The text of every `<text>` element of an SVG, unescaped.
fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|element| {
            let body = &element[element.find('>')? + 1..element.find("</text>")?];
            Some(
                body.trim()
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"")
                    .replace("&apos;", "'")
                    .replace("&amp;", "&"),
            )
        })
        .collect()
}

const STACK: &str = "font-family=\"'NanumGothic', 'Malgun Gothic', '맑은 고딕', \
                     'Apple SD Gothic Neo', 'Noto Sans KR', sans-serif\"";

/// A drawn chart's PNG has the size and is no blank page; its SVG is one document with the font
/// stack on every text and `labels` among its texts.
fn check(outcome: Outcome, name: &str, size: (u32, u32), labels: &[&str]) -> Chart {
    let Outcome::Drawn(chart) = outcome else {
        panic!("{name} was skipped: {outcome:?}");
    };
    assert_eq!(chart.name, name);
    assert!(
        !chart.title.is_empty() && chart.reading.ends_with('.'),
        "{chart:?}"
    );
    assert_eq!(
        chart.png.file_name().unwrap(),
        format!("{name}.png").as_str()
    );
    let (width, height, pixels) = decode_png(&chart.png);
    assert_eq!((width, height), size, "{name}");
    let channels = pixels.len() / (width * height) as usize;
    let colours: BTreeSet<&[u8]> = pixels.chunks(channels).collect();
    let ink = pixels
        .chunks(channels)
        .filter(|p| p[..3] != [255, 255, 255])
        .count() as f64
        / (width * height) as f64;
    assert!(colours.len() > 20, "{name}: {} colours", colours.len());
    assert!(
        (0.01..0.9).contains(&ink),
        "{name}: {ink:.3} of the pixels inked"
    );

    let svg = std::fs::read_to_string(&chart.svg).unwrap();
    assert!(
        svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
        "{name}"
    );
    assert!(svg.contains(&format!("width=\"{}\" height=\"{}\"", size.0, size.1)));
    assert_eq!(
        svg.matches("font-family=").count(),
        svg.matches(STACK).count()
    );
    assert!(svg.contains(STACK), "{name}");
    let texts = svg_texts(&svg);
    for label in labels {
        assert!(
            texts.iter().any(|t| t == label),
            "{name}: no text {label:?} in {texts:?}"
        );
    }
    chart
}

#[test]
fn every_chart_draws_a_png_and_an_svg_with_its_korean_labels() {
    let tmp = tempfile::tempdir().unwrap();
    let (tables, out) = (tmp.path(), tmp.path().join("charts"));
    write_tables(tables, true);
    std::fs::create_dir_all(&out).unwrap();
    let font = Font::embedded();
    let keyword_rows: Vec<KeywordRow> = rows(tables, "keywords.csv");
    let entity_rows: Vec<EntityRow> = rows(tables, "entities.csv");

    let chart = check(
        timeline(&rows(tables, "timeline.csv"), Binning::Auto, &out, &font).unwrap(),
        "timeline",
        (1200, 700),
        &[
            "Articles and stories per day",
            "10-15",
            "10-19",
            "date (2022)",
            "articles",
        ],
    );
    assert!(chart
        .reading
        .contains("2022-10-16 with 30 articles in 14 stories"));
    check(
        keywords(&keyword_rows, &out, &font).unwrap(),
        "keywords",
        (1200, 760),
        &[
            "Top 20 keywords by stories",
            "서비스",
            "과학기술정보방송통신위원회",
            "SK C&C",
            "14",
        ],
    );
    check(
        entities_per(&entity_rows, &out, &font).unwrap(),
        "entities_per",
        (1200, 640),
        &["김범수", "최태원", "윤석열"],
    );
    check(
        entities_org(&entity_rows, &out, &font).unwrap(),
        "entities_org",
        (1200, 640),
        &["카카오", "과학기술정보통신부"],
    );
    check(
        entities_loc(&entity_rows, &out, &font).unwrap(),
        "entities_loc",
        (1200, 640),
        &["판교 데이터센터", "경기 성남시 분당구"],
    );
    check(
        outlets(&rows(tables, "outlets.csv"), &out, &font).unwrap(),
        "outlets",
        (1200, 900),
        &["연합뉴스", "KBS", "articles", "stories"],
    );
    check(
        clusters(&rows(tables, "clusters.csv"), &out, &font).unwrap(),
        "clusters",
        (1200, 800),
        &[
            "‘카카오 먹통’ 김범수, 24일 과방위…",
            "청와대에서 서촌까지…역사를 걷는 종로… (off topic)",
            "카카오 “판교 데이터센터 화재 복구…",
        ],
    );
    check(
        keyword_heatmap(
            &keyword_rows,
            &rows(tables, "keywords_by_day.csv"),
            Binning::Auto,
            &out,
            &font,
        )
        .unwrap(),
        "keyword_heatmap",
        (1200, 720),
        // Cells are wide with five days: the counts are written in them.
        &["서비스", "10-18", "9", "stories"],
    );
    check(
        network(
            &keyword_rows,
            &rows(tables, "cooccurrence.csv"),
            &out,
            &font,
        )
        .unwrap(),
        "network",
        (1200, 900),
        &["카카오", "네이버", "국정감사", "과학기술정보방송통신위원회"],
    );
}

#[test]
fn every_label_drawn_has_a_glyph_in_the_embedded_font() {
    let font = Font::embedded();
    assert_eq!(font.family(), "NanumGothic");
    assert!(font.covers("카카오 먹통 과학기술정보방송통신위원회 SK C&C 0123456789 …‘’“”·%()[]#,-"));
    assert!(!font.covers("🙂"), "an emoji has no glyph in NanumGothic");
    for dated in [true, false] {
        let tmp = tempfile::tempdir().unwrap();
        write_tables(tmp.path(), dated);
        let (drawn, _) = draw_all(tmp.path(), &font, Binning::Auto).unwrap();
        for chart in drawn {
            let svg = std::fs::read_to_string(&chart.svg).unwrap();
            let texts = svg_texts(&svg);
            assert!(texts.len() > 5, "{}", chart.name);
            for text in texts {
                assert!(
                    font.covers(&text),
                    "{}: {text:?} has a char without a glyph",
                    chart.name
                );
            }
        }
    }
}

#[test]
fn a_missing_or_unusable_font_is_an_error_naming_the_path() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("없는-폰트.ttf");
    let error = Font::from_file(&missing).unwrap_err().to_string();
    assert!(error.starts_with(&missing.display().to_string()), "{error}");
    assert!(error.contains("cannot read font"), "{error}");

    let text = tmp.path().join("notes.ttf");
    std::fs::write(&text, "this is not a font").unwrap();
    let error = Font::from_file(&text).unwrap_err().to_string();
    assert!(error.starts_with(&text.display().to_string()), "{error}");
    assert!(error.contains("not a TrueType/OpenType font"), "{error}");

    let truncated = tmp.path().join("truncated.ttf");
    let real = include_bytes!("../../assets/fonts/NanumGothic-Regular.ttf");
    std::fs::write(&truncated, &real[..4096]).unwrap();
    let error = Font::from_file(&truncated).unwrap_err().to_string();
    assert!(
        error.starts_with(&truncated.display().to_string()),
        "{error}"
    );

    let directory = Font::from_file(tmp.path()).unwrap_err().to_string();
    assert!(
        directory.starts_with(&tmp.path().display().to_string()),
        "{directory}"
    );

    // A real font without Hangul (DejaVu, where the machine has it) is refused: its charts
    // would show boxes.
    let latin = Path::new("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
    if latin.exists() {
        let error = Font::from_file(latin).unwrap_err().to_string();
        assert!(error.starts_with(&latin.display().to_string()), "{error}");
        assert!(error.contains("no Hangul glyphs"), "{error}");
    }
}

#[test]
fn a_reports_path_that_is_no_directory_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("reports");
    let error = draw_all(&missing, &Font::embedded(), Binning::Auto)
        .unwrap_err()
        .to_string();
    assert_eq!(
        error,
        format!("{}: not a directory of bodo tables", missing.display())
    );
    assert!(!missing.exists(), "nothing is created for a wrong path");
}

#[test]
fn a_font_file_draws_like_the_embedded_font() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("NanumGothic.ttf");
    std::fs::write(
        &path,
        include_bytes!("../../assets/fonts/NanumGothic-Regular.ttf"),
    )
    .unwrap();
    let font = Font::from_file(&path).unwrap();
    assert_eq!(font.family(), "NanumGothic");
    assert!(font.covers("보도"));
    // Loaded twice: one registration, the same key.
    assert_eq!(Font::from_file(&path).unwrap().key(), font.key());
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    let rows: Vec<KeywordRow> = read_table_from(KEYWORDS);
    keywords(&rows, &a, &font).unwrap();
    keywords(&rows, &b, &Font::embedded()).unwrap();
    for file in ["keywords.png", "keywords.svg"] {
        assert!(std::fs::read(a.join(file)).unwrap() == std::fs::read(b.join(file)).unwrap());
    }
}

fn read_table_from<T: serde::de::DeserializeOwned>(csv_text: &str) -> Vec<T> {
    csv::Reader::from_reader(csv_text.as_bytes())
        .deserialize()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn the_same_tables_give_byte_identical_files() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    write_tables(&a, true);
    write_tables(&b, true);
    let font = Font::embedded();
    let (first, _) = draw_all(&a, &font, Binning::Auto).unwrap();
    let (second, _) = draw_all(&b, &font, Binning::Auto).unwrap();
    // And once more into the same directory, over the first files.
    let (third, _) = draw_all(&a, &font, Binning::Auto).unwrap();
    let names: Vec<&str> = first.iter().map(|c| c.name).collect();
    assert_eq!(names, CHART_NAMES);
    for ((x, y), z) in first.iter().zip(&second).zip(&third) {
        for (p, q) in [
            (&x.png, &y.png),
            (&x.svg, &y.svg),
            (&x.png, &z.png),
            (&x.svg, &z.svg),
        ] {
            assert!(
                std::fs::read(p).unwrap() == std::fs::read(q).unwrap(),
                "{} differs from {}",
                p.display(),
                q.display()
            );
        }
        assert_eq!((&x.title, &x.reading), (&y.title, &y.reading));
    }
}

#[test]
fn undated_tables_skip_timeline_heatmap_and_outlets_and_draw_the_rest() {
    let tmp = tempfile::tempdir().unwrap();
    write_tables(tmp.path(), false);
    // Files of an earlier, dated run in the same directory must not survive as if current.
    let charts = tmp.path().join("charts");
    std::fs::create_dir_all(&charts).unwrap();
    std::fs::write(charts.join("timeline.png"), "old").unwrap();
    std::fs::write(charts.join("outlets.svg"), "old").unwrap();

    let (drawn, skipped) = draw_all(tmp.path(), &Font::embedded(), Binning::Auto).unwrap();
    let names: Vec<&str> = drawn.iter().map(|c| c.name).collect();
    assert_eq!(
        names,
        [
            "keywords",
            "entities_per",
            "entities_org",
            "entities_loc",
            "clusters",
            "network"
        ]
    );
    let skipped_names: Vec<&str> = skipped.iter().map(|(n, _)| *n).collect();
    assert_eq!(skipped_names, ["timeline", "outlets", "keyword_heatmap"]);
    for (name, reason) in &skipped {
        assert!(
            !reason.is_empty() && !reason.contains('\n'),
            "{name}: {reason:?}"
        );
        assert!(
            reason.contains(".csv"),
            "{name}: the reason names the table: {reason}"
        );
    }
    assert!(!charts.join("timeline.png").exists());
    assert!(!charts.join("outlets.svg").exists());
    for chart in &drawn {
        assert!(chart.png.starts_with(&charts) && chart.png.exists() && chart.svg.exists());
    }
    // Without outlets the clusters chart has one series, sized for it.
    let clusters_png = drawn.iter().find(|c| c.name == "clusters").unwrap();
    assert_eq!(decode_png(&clusters_png.png).0, 1200);
}

#[test]
fn missing_tables_are_skipped_with_the_file_named() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("keywords.csv"), KEYWORDS).unwrap();
    let (drawn, skipped) = draw_all(tmp.path(), &Font::embedded(), Binning::Auto).unwrap();
    assert_eq!(
        drawn.iter().map(|c| c.name).collect::<Vec<_>>(),
        ["keywords"]
    );
    assert_eq!(skipped.len(), 8);
    let reasons: BTreeSet<&str> = skipped.iter().map(|(_, r)| r.as_str()).collect();
    assert!(
        reasons
            .iter()
            .any(|r| r.starts_with("cooccurrence.csv not found")),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|r| r.starts_with("entities.csv not found")),
        "{reasons:?}"
    );
}

#[test]
fn excel_tables_with_a_byte_order_mark_are_read() {
    let tmp = tempfile::tempdir().unwrap();
    write_tables(tmp.path(), true);
    for name in ["keywords.csv", "timeline.csv", "clusters.csv"] {
        let path = tmp.path().join(name);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("\u{feff}{text}")).unwrap();
    }
    let rows: Vec<KeywordRow> = rows(tmp.path(), "keywords.csv");
    assert_eq!(rows[0].keyword, "카카오");
    let (drawn, _) = draw_all(tmp.path(), &Font::embedded(), Binning::Auto).unwrap();
    assert_eq!(drawn.len(), 9);
}

#[test]
fn a_malformed_table_is_an_error_naming_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    write_tables(tmp.path(), true);
    let path = tmp.path().join("timeline.csv");
    std::fs::write(
        &path,
        "date,articles,stories\n2022-10-15,3,2\n2022-10-16,many,2\n",
    )
    .unwrap();
    let error = draw_all(tmp.path(), &Font::embedded(), Binning::Auto)
        .unwrap_err()
        .to_string();
    assert!(error.starts_with(&path.display().to_string()), "{error}");
    assert!(error.contains("line: 3"), "{error}");
}

#[test]
fn a_single_day_and_a_long_range_still_draw() {
    let tmp = tempfile::tempdir().unwrap();
    let font = Font::embedded();
    let one = read_table_from::<TimelineRow>("date,articles,stories\n2022-10-15,3,2\n");
    check(
        timeline(&one, Binning::Auto, tmp.path(), &font).unwrap(),
        "timeline",
        (1200, 700),
        &["10-15"],
    );
    // Two years drawn by day (--bin day; auto would draw weeks): full dates, weekly-or-coarser
    // ticks, no overlap.
    let mut long = String::from("date,articles,stories\n");
    let start = render_day(0);
    for day in 0..730 {
        writeln!(
            long,
            "{},{},{}",
            render_day(day),
            day % 17 + 3,
            day % 11 + 1
        )
        .unwrap();
    }
    let rows = read_table_from::<TimelineRow>(&long);
    let chart = check(
        timeline(&rows, Binning::Fixed(Bin::Day), tmp.path(), &font).unwrap(),
        "timeline",
        (1200, 700),
        &[],
    );
    let texts = svg_texts(&std::fs::read_to_string(chart.svg).unwrap());
    assert!(texts.contains(&start), "{texts:?}");
    let dates = texts
        .iter()
        .filter(|t| t.len() == 10 && t.starts_with("20"))
        .count();
    assert!((4..=12).contains(&dates), "{dates} date labels");
}

/// ISO date `day` days after 2022-10-15.
fn render_day(day: i64) -> String {
    iso_day(day_number("2022-10-15").unwrap() + day)
}

/// Tables the size of a 100k-article run's (the tables are aggregates: stories, keywords,
/// top-100 keywords per day, 200 network terms), drawn in full; the time is printed, not asserted.
#[test]
fn timing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let word = |i: usize| {
        let syllables = [
            "카", "오", "서", "비", "스", "화", "재", "복", "구", "판", "교", "데",
        ];
        let mut w = String::new();
        let mut n = i + 13;
        while n > 0 {
            w.push_str(syllables[n % syllables.len()]);
            n /= syllables.len();
        }
        w
    };
    let mut text = String::from("date,articles,stories,outlets,off_topic\n");
    for day in 0..90 {
        writeln!(
            text,
            "{},{},{},60,3",
            render_day(day),
            1100 + day * 7 % 300,
            600 + day % 200
        )
        .unwrap();
    }
    std::fs::write(dir.join("timeline.csv"), text).unwrap();
    let mut text = String::from("keyword,kind,tf,df,articles,idf,tfidf,rank\n");
    for i in 0..5000 {
        writeln!(
            text,
            "{},NNG,{},{},{},1.5,{},{}",
            word(i),
            90000 - i,
            50000 - i * 9,
            90000 - i * 15,
            9000 - i,
            i + 1
        )
        .unwrap();
    }
    std::fs::write(dir.join("keywords.csv"), text).unwrap();
    let mut text = String::from("entity,type,mentions,articles,stories,aliases_seen\n");
    for i in 0..5000 {
        let kind = ["PER", "ORG", "LOC", "DATE"][i % 4];
        writeln!(
            text,
            "{},{kind},{},{},{},",
            word(i + 7),
            9000 - i,
            8000 - i,
            7000 - i
        )
        .unwrap();
    }
    std::fs::write(dir.join("entities.csv"), text).unwrap();
    let mut text = String::from(
        "outlet,articles,stories,share_articles,share_stories,first_date,originated\n",
    );
    for i in 0..80 {
        writeln!(
            text,
            "{}일보,{},{},0.01,0.01,2022-10-15,{}",
            word(i),
            5000 - i * 40,
            3000 - i * 20,
            i
        )
        .unwrap();
    }
    std::fs::write(dir.join("outlets.csv"), text).unwrap();
    let mut text = String::from("cluster_id,size,representative_id,title,outlets,n_outlets,first_date,last_date,first_outlet,relevance,off_topic\n");
    for i in 0..50_000 {
        writeln!(text, "{i},{},a-{i},\"{} {} {} 사태 {i}\",연합뉴스;KBS,{},2022-10-15,2022-10-16,KBS,0.3,false", 1 + i % 9, word(i), word(i + 1), word(i + 2), 1 + i % 5).unwrap();
    }
    std::fs::write(dir.join("clusters.csv"), text).unwrap();
    let mut text = String::from("date,keyword,tf,df,tfidf,rank\n");
    for day in 0..90 {
        for rank in 0..100 {
            writeln!(
                text,
                "{},{},{},{},1.0,{}",
                render_day(day),
                word((rank * 7 + day as usize) % 300),
                500 - rank,
                300 - rank,
                rank + 1
            )
            .unwrap();
        }
    }
    std::fs::write(dir.join("keywords_by_day.csv"), text).unwrap();
    let mut text = String::from("term_a,term_b,stories,articles,npmi\n");
    for a in 0..200 {
        for b in (a + 1)..200 {
            let npmi = ((a * 31 + b * 17) % 200) as f64 / 100.0 - 1.0;
            writeln!(
                text,
                "{},{},{},{},{npmi:.4}",
                word(a),
                word(b),
                9000 - a - b,
                9500 - a - b
            )
            .unwrap();
        }
    }
    std::fs::write(dir.join("cooccurrence.csv"), text).unwrap();

    let font = Font::embedded();
    let started = std::time::Instant::now();
    let (drawn, skipped) = draw_all(dir, &font, Binning::Auto).unwrap();
    let elapsed = started.elapsed();
    assert_eq!((drawn.len(), skipped.len()), (9, 0), "{skipped:?}");
    println!(
        "draw_all, 9 charts (PNG + SVG) from 100k-run-sized tables: {:.0} ms",
        elapsed.as_secs_f64() * 1000.0
    );
}

/// plotters lays text out (label areas, `estimate_text_size`) with the font registered under our
/// key. Were plotters' `ttf` feature switched on by some crate, that font would be looked up on
/// the system instead and `register_font` ignored: this width would then differ or fail.
#[test]
fn plotters_measures_text_with_the_registered_font() {
    use ab_glyph::{Font as _, ScaleFont};
    use plotters::prelude::*;

    let font = Font::embedded();
    font.register().unwrap();
    let text = "카카오 먹통 SK C&C";
    let mut svg = String::new();
    let root = SVGBackend::with_string(&mut svg, (200, 100)).into_drawing_area();
    let style = TextStyle::from((font.key(), 20.0).into_font());
    let (width, _) = root.estimate_text_size(text, &style).unwrap();

    let scaled = font.face().as_scaled(20.0);
    let mut expected = 0.0f32;
    let mut previous = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        expected += scaled.h_advance(id);
        if let Some(previous) = previous {
            expected += scaled.kern(previous, id);
        }
        previous = Some(id);
    }
    assert_eq!(width, expected as u32);
}

/// Fourteen years of days (2009-03-04 to 2023-02-10, 5,093 days) as a spiky dump has them: most
/// days empty, a few articles every 37th day, a burst in October 2022, and no article at all in
/// 2015.
fn fourteen_years() -> Vec<(String, u64, u64)> {
    let first = day_number("2009-03-04").unwrap();
    let last = day_number("2023-02-10").unwrap();
    (first..=last)
        .enumerate()
        .map(|(i, day)| {
            let date = iso_day(day);
            let articles: u64 = if date.starts_with("2015") {
                0
            } else if date.starts_with("2022-10-1") {
                500
            } else if i % 37 == 0 {
                40
            } else if i % 5 == 0 {
                3
            } else {
                0
            };
            (date, articles, articles.div_ceil(2))
        })
        .collect()
}

fn timeline_rows(days: &[(String, u64, u64)]) -> Vec<TimelineRow> {
    let mut text = String::from("date,articles,stories,outlets,off_topic\n");
    for (date, articles, stories) in days {
        writeln!(text, "{date},{articles},{stories},1,0").unwrap();
    }
    read_table_from(&text)
}

/// The plot of a line chart's PNG: (left, right, top, bottom) in pixels, from its axes. The y
/// axis is the longest vertical run of ink (nothing is drawn over it: bins are inset from it);
/// the x axis is the row where that run ends, as far right as it has ink (a stray stroke over
/// part of it does not hide it).
fn plot_box(width: u32, height: u32, pixels: &[u8]) -> (u32, u32, u32, u32) {
    let channels = pixels.len() / (width * height) as usize;
    let ink = |x: u32, y: u32| {
        let i = (y * width + x) as usize * channels;
        pixels[i..i + 3] == [34, 34, 34]
    };
    // (length, start, column) of the longest vertical run.
    let mut axis = (0u32, 0u32, 0u32);
    for x in 0..width {
        let mut start = 0;
        for y in 0..=height {
            if y == height || !ink(x, y) {
                if y - start > axis.0 {
                    axis = (y - start, start, x);
                }
                start = y + 1;
            }
        }
    }
    let (length, top, left) = axis;
    assert!(length > height / 2, "no y axis found");
    // The x axis is the row with most ink by the y axis' end (plotters draws it one below).
    let end = top + length - 1;
    let bottom = (end.saturating_sub(3)..=(end + 3).min(height - 1))
        .max_by_key(|&y| ((left..width).filter(|&x| ink(x, y)).count(), y))
        .unwrap();
    let right = (left..width).rev().find(|&x| ink(x, bottom)).unwrap();
    assert!(right > left + width / 2, "no x axis found");
    (left, right, top, bottom)
}

/// Pixels of exactly `color` in the PNG at (x, y).
fn pixels_of(path: &Path, color: [u8; 3]) -> Vec<(u32, u32)> {
    let (width, height, pixels) = decode_png(path);
    let channels = pixels.len() / (width * height) as usize;
    (0..height)
        .flat_map(|y| (0..width).map(move |x| (x, y)))
        .filter(|&(x, y)| {
            let i = (y * width + x) as usize * channels;
            pixels[i..i + 3] == color
        })
        .collect()
}

/// The timeline's two line colours appear only inside its plot (and in the legend above it).
fn assert_lines_inside(chart: &Chart) -> (u32, u32, u32, u32) {
    let (width, height, pixels) = decode_png(&chart.png);
    let (left, right, top, bottom) = plot_box(width, height, &pixels);
    for (name, color) in [("articles", [31, 58, 95]), ("stories", [214, 110, 20])] {
        let drawn = pixels_of(&chart.png, color);
        assert!(drawn.len() > 100, "{}: no {name} line", chart.title);
        let outside: Vec<&(u32, u32)> = drawn
            .iter()
            .filter(|&&(x, y)| y >= top && (x <= left || x >= right || y >= bottom))
            .collect();
        assert!(
            outside.is_empty(),
            "{}: {} {name} pixels outside the plot {:?}, e.g. {:?}",
            chart.title,
            outside.len(),
            (left, right, top, bottom),
            &outside[..outside.len().min(5)]
        );
    }
    (left, right, top, bottom)
}

#[test]
fn fourteen_years_of_days_are_drawn_by_year_inside_the_plot() {
    let tmp = tempfile::tempdir().unwrap();
    let font = Font::embedded();
    let rows = timeline_rows(&fourteen_years());
    let chart = check(
        timeline(&rows, Binning::Auto, tmp.path(), &font).unwrap(),
        "timeline",
        (1200, 700),
        &[
            "Articles and stories per year",
            "year",
            "per year",
            "2009",
            "2015",
            "2023",
        ],
    );
    // 2022 (the burst) is the peak: 500 articles on each of ten days, plus the usual.
    assert!(
        chart.reading.contains("peaked in 2022 with"),
        "{}",
        chart.reading
    );
    // 2009 starts on March 4th and 2023 ends on February 10th: the reader is told.
    assert!(
        chart.reading.ends_with(
            "run from 2009-03-04 to 2023-02-10, so a year at either end may be partly covered."
        ),
        "{}",
        chart.reading
    );
    // One articles marker per year, 2009 to 2023: the 15 bins, none missing.
    let svg = std::fs::read_to_string(&chart.svg).unwrap();
    assert_eq!(
        svg.matches("r=\"3\" opacity=\"1\" fill=\"#1F3A5F\"")
            .count(),
        15
    );
    let (_, _, _, bottom) = assert_lines_inside(&chart);
    // 2015 had no article: an empty bin is 0, so the line comes down to the axis (its zero is
    // the inset above it), not a gap.
    let near_zero = pixels_of(&chart.png, [31, 58, 95])
        .into_iter()
        .filter(|&(_, y)| y < bottom && y + 10 >= bottom)
        .count();
    assert!(near_zero > 0, "the articles line never reaches 0");
}

#[test]
fn spiky_timelines_draw_nothing_below_the_axis_whatever_the_bin() {
    // What broke: a dump over 2009–2023 drawn as 5,093 daily points, its thick line mitred at
    // every spike, drew strokes under the zero axis and out of the plot.
    let tmp = tempfile::tempdir().unwrap();
    let font = Font::embedded();
    let rows = timeline_rows(&fourteen_years());
    for bin in [Bin::Day, Bin::Week, Bin::Month, Bin::Year] {
        let dir = tmp.path().join(bin.name());
        std::fs::create_dir_all(&dir).unwrap();
        let chart = check(
            timeline(&rows, Binning::Fixed(bin), &dir, &font).unwrap(),
            "timeline",
            (1200, 700),
            &[&format!("Articles and stories per {bin}"), bin.axis()],
        );
        assert_lines_inside(&chart);
    }
    // 110 days alternating between nothing and a peak: thick lines (no markers) with the
    // sharpest angles auto draws.
    let days: Vec<(String, u64, u64)> = (0..110)
        .map(|i| (render_day(i), if i % 2 == 1 { 900 } else { 0 }, 0))
        .collect();
    let chart = check(
        timeline(&timeline_rows(&days), Binning::Auto, tmp.path(), &font).unwrap(),
        "timeline",
        (1200, 700),
        &["Articles and stories per day", "date"],
    );
    assert_lines_inside(&chart);
}

#[test]
fn auto_draws_weeks_and_months_with_unambiguous_labels() {
    let tmp = tempfile::tempdir().unwrap();
    let font = Font::embedded();
    let days = |n: i64| -> Vec<(String, u64, u64)> {
        (0..n)
            .map(|i| (render_day(i), (i % 9) as u64 + 1, 1))
            .collect()
    };
    // 300 days from 2022-10-15: 44 ISO weeks.
    let chart = check(
        timeline(&timeline_rows(&days(300)), Binning::Auto, tmp.path(), &font).unwrap(),
        "timeline",
        (1200, 700),
        &[
            "Articles and stories per week",
            "week (ISO, Monday start)",
            "2022-W41",
        ],
    );
    assert!(
        chart.reading.contains("in the week of "),
        "{}",
        chart.reading
    );
    let texts = svg_texts(&std::fs::read_to_string(&chart.svg).unwrap());
    let weeks: Vec<&String> = texts
        .iter()
        .filter(|t| t.len() == 8 && t.as_bytes()[4] == b'-' && t.as_bytes()[5] == b'W')
        .collect();
    assert!((4..=22).contains(&weeks.len()), "{weeks:?}");
    // Three years: months, labelled every January and July.
    let chart = check(
        timeline(
            &timeline_rows(&days(1100)),
            Binning::Auto,
            tmp.path(),
            &font,
        )
        .unwrap(),
        "timeline",
        (1200, 700),
        &[
            "Articles and stories per month",
            "month",
            "2023-01",
            "2024-07",
        ],
    );
    assert_lines_inside(&chart);
}

/// keywords_by_day.csv rows for [`fourteen_years`]: on every day with articles, three keywords.
fn keyword_days() -> Vec<KeywordDayRow> {
    let keywords: Vec<KeywordRow> = read_table_from(KEYWORDS);
    let mut text = String::from("date,keyword,tf,df,tfidf,rank\n");
    for (i, (date, articles, _)) in fourteen_years().iter().enumerate() {
        if *articles == 0 {
            continue;
        }
        for rank in 0..3 {
            let keyword = &keywords[(i + rank * 5) % keywords.len()].keyword;
            let df = articles / (rank as u64 + 1);
            writeln!(text, "{date},{keyword},{df},{df},1.0,{}", rank + 1).unwrap();
        }
    }
    read_table_from(&text)
}

/// The x positions of the heatmap's cells (filled rectangles taller than the colour bar's steps).
fn cell_columns(svg: &str) -> BTreeSet<i64> {
    svg.split("<rect")
        .skip(1)
        .filter(|r| !r.contains("fill=\"none\"") && !r.contains("fill=\"#FFFFFF\""))
        .filter_map(|r| {
            let attr = |name: &str| -> Option<i64> {
                let at = r.find(&format!(" {name}=\""))? + name.len() + 3;
                r[at..].split('"').next()?.parse().ok()
            };
            (attr("height")? > 10 && attr("width")? < 200).then(|| attr("x"))?
        })
        .collect()
}

#[test]
fn a_fourteen_year_heatmap_has_a_column_per_year() {
    let tmp = tempfile::tempdir().unwrap();
    let font = Font::embedded();
    let keywords: Vec<KeywordRow> = read_table_from(KEYWORDS);
    let by_day = keyword_days();
    let chart = check(
        keyword_heatmap(&keywords, &by_day, Binning::Auto, tmp.path(), &font).unwrap(),
        "keyword_heatmap",
        (1200, 720),
        // Labels every other year, on even years.
        &["Top 15 keywords by year", "year", "2010", "2022", "stories"],
    );
    assert!(chart.reading.contains("column a year"), "{}", chart.reading);
    let svg = std::fs::read_to_string(&chart.svg).unwrap();
    assert_eq!(cell_columns(&svg).len(), 15);
    // Weeks: 40 weeks or fewer of the same rows are drawn by week.
    let recent: Vec<KeywordDayRow> = by_day
        .iter()
        .filter(|r| r.date.as_str() >= "2022-06-01")
        .cloned()
        .collect();
    let chart = check(
        keyword_heatmap(&keywords, &recent, Binning::Auto, tmp.path(), &font).unwrap(),
        "keyword_heatmap",
        (1200, 720),
        &["Top 15 keywords by week", "week (ISO, Monday start)"],
    );
    let svg = std::fs::read_to_string(&chart.svg).unwrap();
    let first = day_number(&recent.iter().map(|r| r.date.clone()).min().unwrap()).unwrap();
    let last = day_number(&recent.iter().map(|r| r.date.clone()).max().unwrap()).unwrap();
    assert_eq!(cell_columns(&svg).len(), Bin::Week.count(first, last));
    assert!(Bin::Week.count(first, last) <= crate::bins::HEATMAP_BINS);
    // Forced months: one column per month of the range.
    let chart = check(
        keyword_heatmap(
            &keywords,
            &recent,
            Binning::Fixed(Bin::Month),
            tmp.path(),
            &font,
        )
        .unwrap(),
        "keyword_heatmap",
        (1200, 720),
        &["Top 15 keywords by month", "2022-11"],
    );
    let svg = std::fs::read_to_string(&chart.svg).unwrap();
    assert_eq!(cell_columns(&svg).len(), Bin::Month.count(first, last));
}
