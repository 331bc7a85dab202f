//! The trained entity tagger (`--entity-tagger`): KLUE-NER's conventions on sentences written
//! for this test (not from the KLUE sentences it was trained on), the shipped page's main
//! entities, and the model file read back as written.

use std::path::PathBuf;

use bodo::analyse::{text as analyse_text, Analysers};
use bodo::entities::gazetteer::Gazetteer;
use bodo::entities::tagger::{self, Model};
use bodo::entities::{shipped_model, Recogniser, UNNAMED};
use bodo::ingest::IngestOptions;
use bodo::keywords::KeywordFilter;
use bodo::morph::Morphology;
use bodo::normalise::normalise;
use bodo::pipeline::read_articles;
use bodo::record::Field;

/// (surface, type, canonical) of every entity the tagger finds in `text`, dated `date`.
fn tagged(text: &str, date: Option<&str>) -> Vec<(String, String, String)> {
    let morphology = Morphology::load().unwrap();
    let recogniser = Recogniser::with_tagger(Gazetteer::load(&[]).unwrap());
    let mut tokens = Vec::new();
    morphology.worker().tokens(text, &mut tokens).unwrap();
    let mut out = Vec::new();
    recogniser.recognise(text, &tokens, Field::Body, date, &mut out);
    for pair in out.windows(2) {
        assert!(pair[0].end <= pair[1].start, "mentions overlap: {out:?}");
    }
    out.iter()
        .map(|m| {
            (
                text[m.start..m.end].to_string(),
                m.kind.as_str().to_string(),
                m.entity.clone(),
            )
        })
        .collect()
}

fn has(found: &[(String, String, String)], surface: &str, kind: &str, canonical: &str) -> bool {
    found
        .iter()
        .any(|(s, k, c)| s == surface && k == kind && c == canonical)
}

#[test]
fn klue_conventions() {
    let found = tagged(
        "경찰은 지난 3일 박씨를 불러 조사했다고 밝혔다.",
        Some("2024-05-10"),
    );
    assert!(has(&found, "경찰", "ORG", "경찰"), "{found:?}");
    assert!(has(&found, "지난 3일", "DATE", "2024-05-03"), "{found:?}");
    // A bare surname is a person KLUE marks, counted as unnamed.
    assert!(has(&found, "박", "PER", UNNAMED), "{found:?}");

    let found = tagged(
        "이날 오후 3시 서울 종로구 광화문광장에서 집회가 열렸다.",
        None,
    );
    assert!(
        found.iter().any(|f| f.0 == "이날" && f.1 == "DATE"),
        "{found:?}"
    );
    // A time of day is its own mention, after the date.
    assert!(has(&found, "오후 3시", "TIME", "오후 3시"), "{found:?}");
    assert!(
        found
            .iter()
            .any(|f| f.0.starts_with("서울 종로구") && f.1 == "LOC"),
        "{found:?}"
    );

    let found = tagged("A씨는 정부가 발표한 대책이 부족하다고 말했다.", None);
    assert!(has(&found, "A", "PER", UNNAMED), "{found:?}");
    assert!(has(&found, "정부", "ORG", "정부"), "{found:?}");

    // Titles stay out of a person's span; aliases map to the gazetteer's canonical name.
    let found = tagged("윤석열 대통령은 과기정통부 장관과 회의를 했다.", None);
    assert!(has(&found, "윤석열", "PER", "윤석열"), "{found:?}");
    assert!(
        has(&found, "과기정통부", "ORG", "과학기술정보통신부"),
        "{found:?}"
    );
}

#[test]
fn the_shipped_page_keeps_its_main_entities() {
    let inputs = [PathBuf::from("data/seoul-shinmun-kakao-outage-search.txt")];
    let articles = read_articles(&inputs, &IngestOptions::default()).unwrap();
    let morphology = Morphology::load().unwrap();
    let recogniser = Recogniser::with_tagger(Gazetteer::load(&[]).unwrap());
    let filter = KeywordFilter::with_stopword_files(&[] as &[PathBuf], 2).unwrap();
    let analysers = Analysers {
        morphology: &morphology,
        recogniser: &recogniser,
        filter: &filter,
    };
    let mut worker = morphology.worker();
    let mut entities = std::collections::BTreeSet::new();
    for article in &articles {
        let text = normalise(article);
        let (_, mentions) = analyse_text(&mut worker, &analysers, &text, None).unwrap();
        entities.extend(mentions.iter().map(|m| (m.entity.clone(), m.kind.as_str())));
    }
    for (name, kind) in [
        ("김범수", "PER"),
        ("최태원", "PER"),
        ("카카오", "ORG"),
        ("SK C&C", "ORG"),
        ("과학기술정보통신부", "ORG"),
        ("판교", "LOC"),
    ] {
        assert!(
            entities.contains(&(name.to_string(), kind)),
            "{name} {kind}: {entities:?}"
        );
    }
}

#[test]
fn the_model_reads_back_as_written() {
    let model = shipped_model();
    let again = Model::from_bytes(&model.to_bytes()).unwrap();
    assert_eq!(model.labels(), again.labels());
    assert_eq!(model.to_bytes(), again.to_bytes());
    assert!(Model::from_bytes(b"not a model").is_err());
    let truncated = &model.to_bytes()[..100];
    assert!(Model::from_bytes(truncated).is_err());
    // A model of format 3 (characters as positions) is refused, saying what to do.
    let mut old = model.to_bytes();
    old[b"bodo-ner-crf ".len()] = b'3';
    let refused = Model::from_bytes(&old).err().unwrap_or_default();
    assert!(refused.contains("train it again"), "{refused}");
}

#[test]
fn bio_labels_read_as_spans() {
    let text = "경찰 박씨";
    let labels = ["B-OG", "I-OG", "O", "B-PS", "O"];
    let spans = tagger::spans(text, &labels);
    let got: Vec<(&str, &str)> = spans
        .iter()
        .map(|s| (&text[s.start..s.end], s.kind.as_str()))
        .collect();
    assert_eq!(got, [("경찰", "OG"), ("박", "PS")]);
    // An I- after O starts a span; a span never ends in a space.
    let spans = tagger::spans("가 나", &["I-LC", "I-LC", "O"]);
    assert_eq!((spans[0].start, spans[0].end), (0, 3));
}

/// The tagger's positions are the morphemes (a bare surname split from the suffix ko-dic fuses
/// it with, a morpheme cut where evidence ends inside it), each run of whitespace and every
/// character no morpheme covers; a position takes the label of the gold span holding its first
/// character.
#[test]
fn positions_are_morphemes_whitespace_and_evidence_edges() {
    let morphology = Morphology::load().unwrap();
    let rules = Recogniser::new(Gazetteer::load(&[]).unwrap());
    let text = "경찰은 지난  3일 강모씨를 불렀다.";
    let mut tokens = Vec::new();
    morphology.worker().tokens(text, &mut tokens).unwrap();
    let found = rules.evidence(text, &tokens, Field::Body, None);
    let positions = tagger::positions(text, &found.for_tagger(&tokens));
    let surfaces: Vec<&str> = positions.iter().map(|p| &text[p.start..p.end]).collect();
    assert!(
        surfaces.starts_with(&["경찰", "은", " ", "지난", "  ", "3", "일", " "]),
        "{surfaces:?}"
    );
    assert!(
        surfaces.contains(&"강"),
        "the surname stands alone: {surfaces:?}"
    );
    assert_eq!(
        surfaces.concat(),
        text,
        "every character is in one position, in order"
    );
    // 지난  3일 is a date (characters 4 to 10), 강 a person.
    let labels = tagger::labels(
        text,
        &positions,
        &[(4, 10, tagger::Kind::Dt), (11, 12, tagger::Kind::Ps)],
    );
    let labelled: Vec<(&str, &str)> = surfaces
        .iter()
        .zip(&labels)
        .filter(|(_, l)| *l != "O")
        .map(|(s, l)| (*s, l.as_str()))
        .collect();
    assert_eq!(
        labelled,
        [
            ("지난", "I-DT"),
            ("  ", "I-DT"),
            ("3", "I-DT"),
            ("일", "I-DT"),
            ("강", "I-PS")
        ]
    );
    // A morpheme is cut where evidence ends inside it: ko-dic reads 과방 + 위원장, the
    // gazetteer knows 과방위.
    let text = "과방위원장은 말했다.";
    morphology.worker().tokens(text, &mut tokens).unwrap();
    let found = rules.evidence(text, &tokens, Field::Body, None);
    let positions = tagger::positions(text, &found.for_tagger(&tokens));
    let surfaces: Vec<&str> = positions.iter().map(|p| &text[p.start..p.end]).collect();
    assert!(surfaces.starts_with(&["과방", "위"]), "{surfaces:?}");
}

/// `Model::tag_text` (window scores kept per thread) places the same spans as tagging the
/// listed features, on every article of the shipped page, twice (the second time from the kept
/// windows).
#[test]
fn kept_window_scores_tag_as_the_feature_lists() {
    use bodo::entities::tagger::Features;
    let inputs = [PathBuf::from("data/seoul-shinmun-kakao-outage-search.txt")];
    let articles = read_articles(&inputs, &IngestOptions::default()).unwrap();
    let morphology = Morphology::load().unwrap();
    let rules = Recogniser::new(Gazetteer::load(&[]).unwrap());
    let model = shipped_model();
    let mut worker = morphology.worker();
    let mut tokens = Vec::new();
    let mut spans = 0;
    for _ in 0..2 {
        for article in &articles {
            let text = normalise(article).body;
            worker.tokens(&text, &mut tokens).unwrap();
            let found = rules.evidence(&text, &tokens, Field::Body, None);
            let evidence = found.for_tagger(&tokens);
            let (features, positions) = tagger::features(&text, &evidence, Features::ALL);
            let listed = model.tag(&text, &positions, &features);
            assert_eq!(
                model.tag_text(&text, &evidence),
                listed,
                "{}",
                article.article_id
            );
            spans += listed.len();
        }
    }
    assert!(spans > 100, "{spans} spans");
}
