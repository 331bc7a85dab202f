//! Same event, different stories, for the hard labelled set.
//!
//! Takes a ChaCha8 stream, an event type and the day of the month; gives two [`Report`]s of one
//! invented event, each from another angle (a fire's cause and its victims, a pile-up's road
//! management and its injured, …): different sentences, but the same place, names, numbers and
//! day, and one short quoted phrase that both quote ([`Event::quotes`]), as two outlets' stories
//! of one event on one day do. They are different stories: a reader of one has not read the
//! other.
//!
//! Everything here is invented for testing: the places are real names, the events, people,
//! companies and numbers are made up, not reports of real events.
//!
//! Guarantees: the two reports share their slot values (one fill of the event's slots) and no
//! sentence frame; each quotes the phrase exactly once.

use std::collections::BTreeMap;

use rand::seq::IndexedRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::leads::fill;

/// One angle of an event: its headlines and sentence frames (three body positions).
pub struct Angle {
    headlines: &'static [&'static str],
    first: &'static [&'static str],
    second: &'static [&'static str],
    body: [&'static [&'static str]; 3],
}

/// An event type: its own slots, the phrases witnesses say, and two angles.
pub struct Event {
    slots: &'static [(&'static str, &'static [&'static str])],
    /// Short quoted phrases (`{quote}`): one is quoted by both angles' reports.
    pub quotes: &'static [&'static str],
    angles: [Angle; 2],
}

/// One angle's story of the event.
#[derive(Debug, Clone)]
pub struct Report {
    pub headline: String,
    /// The two lead sentences (what a flash takes).
    pub lead: Vec<String>,
    /// Three more sentences.
    pub body: Vec<String>,
}

pub const EVENTS: [Event; 6] = [
    Event {
        slots: &[
            (
                "bld",
                &[
                    "물류센터",
                    "냉동창고",
                    "배터리 공장",
                    "도금 공장",
                    "가구 공장",
                    "섬유 공장",
                ],
            ),
            (
                "cause",
                &[
                    "지게차 배터리",
                    "전기 배선",
                    "용접 불티",
                    "건조기 과열",
                    "냉동기 실외기",
                ],
            ),
            ("floor", &["지하 1", "2", "3", "4"]),
        ],
        quotes: &[
            "순식간에 연기가 꽉 찼다",
            "펑 소리가 나더니 불길이 치솟았다",
            "비상벨이 울리지 않았다",
            "앞이 하나도 보이지 않았다",
        ],
        angles: [
            Angle {
                headlines: &[
                    "{place} {bld} 화재 원인은 {cause}?…합동 감식",
                    "“{cause}에서 발화 추정”…{place} {bld} 화재 감식",
                ],
                first: &[
                    "{d}일 {place} {town}의 {org} {bld}에서 난 불은 {cause}에서 시작된 것으로 추정된다.",
                    "경찰과 소방 당국이 {d}일 {place} {bld} 화재 현장에서 합동 감식을 벌여 {cause:을} 유력한 발화 원인으로 지목했다.",
                ],
                second: &[
                    "감식반은 {floor}층 작업장 안쪽에서 심하게 그을린 {cause}의 잔해를 수거해 국립과학수사연구원에 정밀 분석을 맡겼다.",
                    "경찰은 불이 처음 난 곳에서 수거한 잔해를 분석하는 데 2주가량 걸릴 것으로 보고 있다.",
                ],
                body: [
                    &[
                        "경찰은 {org} 안전관리 담당자 {n1}명을 불러 평소 소방 설비 점검 기록을 확인하고 있다.",
                        "{org:은} 지난해 소방 점검에서 스프링클러 배관 불량으로 시정 명령을 받은 것으로 드러났다.",
                    ],
                    &[
                        "현장에 있던 직원 {person2}씨는 “{quote}”고 당시 상황을 설명했다.",
                        "한 직원은 경찰 조사에서 “{quote}”고 진술한 것으로 전해졌다.",
                    ],
                    &[
                        "경찰은 감식 결과를 토대로 업무상 과실치사 혐의 적용 여부를 검토할 방침이다.",
                        "노동 당국도 {org}의 안전 조치 의무 위반 여부를 따로 조사하기로 했다.",
                    ],
                ],
            },
            Angle {
                headlines: &[
                    "{place} {bld} 화재 사망 {n1}명…유족 “믿기지 않는다”",
                    "{bld} 불로 숨진 {n1}명 빈소 마련…동료들 눈물",
                ],
                first: &[
                    "{place} {town} {bld} 화재로 숨진 근로자 {n1}명의 빈소가 {d}일 인근 장례식장에 마련됐다.",
                    "{d}일 {place}의 {org} {bld} 화재로 목숨을 잃은 근로자들의 빈소에는 온종일 조문객의 발길이 이어졌다.",
                ],
                second: &[
                    "숨진 {person}씨 등은 불이 났을 때 {floor}층에서 야간 작업을 하다 미처 빠져나오지 못한 것으로 알려졌다.",
                    "희생자 가운데 {person}씨는 결혼을 두 달 앞두고 있었던 것으로 알려져 안타까움을 더했다.",
                ],
                body: [
                    &[
                        "가까스로 대피한 동료 직원은 “{quote}”며 고개를 떨궜다.",
                        "함께 일하던 동료는 “{quote}”며 숨진 동료들을 떠올렸다.",
                    ],
                    &[
                        "{org:은} 유족들에게 사과하고 장례 절차와 보상 문제를 성실히 협의하겠다고 밝혔다.",
                        "유족들은 회사 측의 진심 어린 사과와 철저한 진상 규명을 요구했다.",
                    ],
                    &[
                        "부상자 {n2}명은 화상과 연기 흡입으로 병원에서 치료를 받고 있으며 이 가운데 {n1b}명은 위독한 상태다.",
                        "시는 유족 지원을 위해 전담 공무원을 배치하고 심리 상담을 지원하기로 했다.",
                    ],
                ],
            },
        ],
    },
    Event {
        slots: &[
            (
                "road",
                &[
                    "경부고속도로",
                    "중부내륙고속도로",
                    "서해안고속도로",
                    "영동고속도로",
                    "남해고속도로",
                    "호남고속도로",
                ],
            ),
            (
                "dir",
                &["서울 방향", "부산 방향", "인천 방향", "강릉 방향", "목포 방향"],
            ),
            ("veh", &["관광버스", "화물차", "승합차", "시외버스"]),
            ("cond", &["블랙아이스", "짙은 안개", "폭설"]),
        ],
        quotes: &[
            "브레이크를 밟아도 차가 미끄러졌다",
            "앞이 전혀 보이지 않았다",
            "순식간에 차들이 뒤엉켰다",
        ],
        angles: [
            Angle {
                headlines: &[
                    "{road} {n2}중 추돌 원인은 ‘{cond}’…도로 관리 부실 논란",
                    "{road} 연쇄 추돌 원인 {cond} 지목…제설·관리 책임 공방",
                ],
                first: &[
                    "{d}일 새벽 {road} {dir} {place} 구간에서 일어난 차량 {n2}대 연쇄 추돌 사고는 노면에 생긴 {cond} 탓이 컸던 것으로 조사됐다.",
                    "경찰은 {d}일 {road} {place} 구간 연쇄 추돌 사고의 주된 원인으로 {cond:을} 지목했다.",
                ],
                second: &[
                    "사고 지점은 다리 위 굽은 내리막 구간으로, 평소에도 기온이 떨어지면 노면이 쉽게 어는 곳이다.",
                    "당시 기온은 영하 {n1}도까지 내려가 있었고 도로에는 염화칼슘이 뿌려지지 않은 상태였다.",
                ],
                body: [
                    &[
                        "도로 관리 기관은 사고 전날 밤 제설차를 {n1b}차례 투입했다고 해명했지만 운전자들의 주장은 다르다.",
                        "관할 국토관리사무소는 결빙 예보가 없어 사전 조치를 하지 못했다고 밝혔다.",
                    ],
                    &[
                        "사고 차량 운전자 {person2}씨는 “{quote}”고 경찰에 말했다.",
                        "처음 사고를 낸 {veh} 운전자는 “{quote}”고 진술했다.",
                    ],
                    &[
                        "경찰은 결빙 취약 구간 관리가 제대로 이뤄졌는지 도로 관리 기관을 상대로 확인할 계획이다.",
                        "전문가들은 결빙 취약 구간에 자동 염수 분사 장치를 늘려야 한다고 지적했다.",
                    ],
                ],
            },
            Angle {
                headlines: &[
                    "{road} 연쇄 추돌 사상자 {n2b}명…병원마다 부상자 몰려",
                    "{road} 사고 {veh} 승객들 “살아 있는 게 기적”",
                ],
                first: &[
                    "{d}일 {road} {dir} {place} 구간에서 일어난 연쇄 추돌로 {n1}명이 숨지고 {n2b}명이 다쳐 인근 병원 {n1b}곳으로 나뉘어 옮겨졌다.",
                    "{road} {place} 구간 연쇄 추돌 사고의 부상자들이 치료를 받고 있는 병원에는 {d}일 가족들의 발길이 이어졌다.",
                ],
                second: &[
                    "숨진 {person}씨는 새벽 출근길에 {veh} 뒤를 따라가다 변을 당한 것으로 알려졌다.",
                    "부상자 가운데 {veh} 승객 {n1b}명은 골절 등 중상을 입어 수술을 받았다.",
                ],
                body: [
                    &[
                        "{veh}에 타고 있던 한 승객은 “{quote}”며 몸서리를 쳤다.",
                        "구조된 운전자 {person2}씨는 “{quote}”며 당시의 공포를 전했다.",
                    ],
                    &[
                        "병원 측은 중상자들의 상태를 지켜보고 있으며 나머지는 생명에 지장이 없다고 설명했다.",
                        "가족들은 병원 복도에서 수술이 끝나기만을 애타게 기다렸다.",
                    ],
                    &[
                        "지자체는 사고 피해자와 가족을 위해 병원마다 상담 창구를 열었다.",
                        "보험사들은 사고 차량이 많아 과실 비율을 가리는 데 시간이 걸릴 것으로 내다봤다.",
                    ],
                ],
            },
        ],
    },
    Event {
        slots: &[
            (
                "site",
                &[
                    "아파트 신축 공사장",
                    "물류센터 공사 현장",
                    "주상복합 건설 현장",
                    "지하차도 공사장",
                ],
            ),
            ("part", &["거푸집", "타워크레인", "옹벽", "지하 흙막이"]),
        ],
        quotes: &[
            "쿵 하는 소리와 함께 바닥이 꺼졌다",
            "대피할 틈도 없었다",
            "며칠 전부터 금이 가 있었다",
        ],
        angles: [
            Angle {
                headlines: &[
                    "{place} {site} 붕괴…“{part} 부실 시공 의혹”",
                    "{site} 붕괴 원인 조사 착수…{org} 압수수색 검토",
                ],
                first: &[
                    "{d}일 {place} {town} {site}에서 일어난 붕괴 사고는 {part:이} 하중을 견디지 못해 무너진 데서 비롯된 것으로 보인다.",
                    "국토교통부는 {d}일 {place} {site} 붕괴 사고의 원인을 밝히기 위해 건설사고조사위원회를 꾸렸다.",
                ],
                second: &[
                    "조사위원회는 시공사인 {org:이} 설계 도면과 다르게 {part:을} 설치했는지를 집중적으로 들여다볼 계획이다.",
                    "공사 현장에서는 최근 공사 기간을 맞추려고 야간 작업을 늘려 온 것으로 알려졌다.",
                ],
                body: [
                    &[
                        "인근 주민 {person2}씨는 “{quote}”며 불안을 호소했다.",
                        "현장 근로자들 사이에서는 “{quote}”는 증언도 나왔다.",
                    ],
                    &[
                        "경찰은 {org:와} 감리업체 관계자 {n1}명을 입건하고 공사 일지를 확보했다.",
                        "{org:은} 입장문을 내고 조사에 성실히 협조하겠다고 밝혔다.",
                    ],
                    &[
                        "전문가들은 무리한 공기 단축이 부실 시공으로 이어지는 구조를 바꿔야 한다고 입을 모았다.",
                        "국토부는 같은 공법을 쓴 전국 공사 현장 {n2}곳을 긴급 점검하기로 했다.",
                    ],
                ],
            },
            Angle {
                headlines: &[
                    "{site} 붕괴 매몰자 {n1}명…밤샘 수색 이어져",
                    "무너진 {site} 실종자 가족 “제발 살아만 있길”",
                ],
                first: &[
                    "{place} {town} {site} 붕괴 현장에서 {d}일 밤까지 근로자 {n1}명의 행방이 확인되지 않아 소방 당국이 수색을 이어 가고 있다.",
                    "{d}일 무너진 {place}의 {site}에서 구조대원 {n3}명이 잔해 속 실종자를 찾고 있다.",
                ],
                second: &[
                    "실종자들은 사고 당시 지하 {n1b}층에서 배관 작업을 하던 하청업체 소속 근로자로 파악됐다.",
                    "구조 당국은 추가 붕괴 위험 때문에 중장비 투입을 미루고 인력으로 잔해를 치우고 있다.",
                ],
                body: [
                    &[
                        "사고 직후 빠져나온 한 근로자는 “{quote}”며 동료들의 생환을 빌었다.",
                        "현장에서 대피한 근로자 {person}씨는 “{quote}”고 말했다.",
                    ],
                    &[
                        "실종자 가족들은 현장 인근 임시 대기소에서 뜬눈으로 밤을 지새웠다.",
                        "가족들은 구조 작업 상황을 제때 알려 달라고 당국에 요구했다.",
                    ],
                    &[
                        "소방 당국은 구조견과 열화상 카메라를 동원해 매몰 추정 지점을 좁혀 가고 있다.",
                        "구조 당국은 날이 밝는 대로 대형 크레인을 투입해 수색 범위를 넓힐 계획이다.",
                    ],
                ],
            },
        ],
    },
    Event {
        slots: &[
            ("boat", &["어선", "낚싯배", "예인선", "모래 운반선"]),
            (
                "place",
                &[
                    "제주 서귀포 남쪽 해상",
                    "전남 신안 가거도 인근 해상",
                    "경북 포항 구룡포 앞바다",
                    "충남 태안 격렬비열도 부근 해상",
                ],
            ),
            ("port", &["서귀포항", "목포항", "구룡포항", "안흥항"]),
        ],
        quotes: &[
            "배가 순식간에 기울었다",
            "높은 파도가 갑판을 덮쳤다",
            "구명조끼를 입을 새도 없었다",
        ],
        angles: [
            Angle {
                headlines: &[
                    "{place} {ton}t급 {boat} 전복…해경, 실종자 {n1}명 수색",
                    "{boat} 전복 실종자 수색 이틀째…야간 조명탄 투입",
                ],
                first: &[
                    "{d}일 새벽 {place}에서 {ton}t급 {boat:이} 뒤집혀 해경이 실종된 선원 {n1}명을 찾고 있다.",
                    "해양경찰은 {d}일 {place}에서 전복된 {boat}의 실종 선원을 찾기 위해 함정 {n2}척과 항공기 {n1b}대를 투입했다.",
                ],
                second: &[
                    "사고 해역에는 초속 15m 안팎의 강한 바람이 불고 물결이 3∼4m로 높게 일고 있다.",
                    "해경은 잠수사를 투입해 뒤집힌 선체 내부를 수색했지만 실종자를 찾지 못했다.",
                ],
                body: [
                    &[
                        "구조된 선원 {person2}씨는 “{quote}”고 해경에 진술했다.",
                        "먼저 구조된 선원은 “{quote}”며 사고 순간을 떠올렸다.",
                    ],
                    &[
                        "해경은 선박이 무리하게 조업에 나섰는지와 화물 과적 여부를 조사하고 있다.",
                        "해경은 선박 위치 발신 장치 기록을 분석해 정확한 사고 시각을 확인하고 있다.",
                    ],
                    &[
                        "기상 당국은 사고 해역에 풍랑 주의보를 발효한 상태다.",
                        "해경은 수색 범위를 사고 지점 반경 {n2b}㎞까지 넓혔다.",
                    ],
                ],
            },
            Angle {
                headlines: &[
                    "{boat} 실종 선원 가족들 {port}서 발 동동",
                    "“아들 돌아오길”…{boat} 실종자 가족 {port} 지켜",
                ],
                first: &[
                    "{place}에서 뒤집힌 {boat}의 실종 선원 가족들이 {d}일 {port:으로} 모여 수색 소식을 기다리고 있다.",
                    "{place}에서 실종된 선원 {n1}명의 가족들이 {d}일 오후 {port} 여객터미널에 마련된 대기실로 모여들었다.",
                ],
                second: &[
                    "실종 선원 가운데 {person}씨는 외국인 선원들과 함께 {n1b}년째 이 배를 타 온 것으로 알려졌다.",
                    "가족들은 해경 함정을 타고 사고 해역을 직접 둘러보게 해 달라고 요청했다.",
                ],
                body: [
                    &[
                        "구조된 동료 선원은 가족들에게 “{quote}”고 전하며 눈시울을 붉혔다.",
                        "가족들은 구조된 선원에게서 “{quote}”는 말을 듣고 오열했다.",
                    ],
                    &[
                        "군청은 대기실에 담당 공무원을 상주시키고 숙소와 식사를 지원하고 있다.",
                        "수협은 선원 가족에게 긴급 생활 안정 자금을 지원하기로 했다.",
                    ],
                    &[
                        "한 가족은 “바다가 잔잔해지기만을 기도하고 있다”며 말을 잇지 못했다.",
                        "지역 어민들도 어선을 몰고 나가 수색에 힘을 보태고 있다.",
                    ],
                ],
            },
        ],
    },
    Event {
        slots: &[
            ("school", &["초등학교", "중학교", "고등학교", "유치원"]),
            ("dish", &["닭볶음", "김치말이국수", "계란말이", "연어 샐러드"]),
            ("bug", &["노로바이러스", "살모넬라균", "병원성 대장균"]),
        ],
        quotes: &[
            "아이가 밤새 토하고 열이 났다",
            "급식 먹은 아이들이 줄줄이 아팠다",
            "점심을 먹고 배가 아프다고 했다",
        ],
        angles: [
            Angle {
                headlines: &[
                    "{place} {school} 집단 식중독…“{dish}서 {bug} 검출”",
                    "{school} 식중독 원인 {bug} 추정…급식 납품업체 조사",
                ],
                first: &[
                    "{d}일 {place}의 한 {school}에서 일어난 집단 식중독은 급식으로 나온 {dish}에서 검출된 {bug} 때문인 것으로 추정된다.",
                    "보건 당국은 {d}일 {place} {school} 집단 식중독의 원인으로 급식 메뉴인 {dish:을} 지목했다.",
                ],
                second: &[
                    "보건환경연구원은 보존식과 조리 기구에서 채취한 검체 {n2}건 가운데 {n1}건에서 {bug:을} 확인했다.",
                    "당국은 {dish}의 재료를 공급한 납품업체 {org:와} 조리 과정 전반을 조사하고 있다.",
                ],
                body: [
                    &[
                        "한 학부모는 “{quote}”며 학교 측의 대응을 비판했다.",
                        "학부모 단체는 “{quote}”는 제보가 잇따랐다며 원인을 철저히 밝혀 달라고 했다.",
                    ],
                    &[
                        "교육청은 해당 학교의 급식을 중단하고 대체 식단을 제공하기로 했다.",
                        "교육청은 같은 업체에서 식재료를 받은 학교 {n2b}곳의 급식을 긴급 점검했다.",
                    ],
                    &[
                        "보건 당국은 역학 조사가 끝나는 대로 납품업체의 행정 처분 여부를 결정할 계획이다.",
                        "전문가들은 기온이 오르는 시기에는 식재료 보관 온도 관리가 특히 중요하다고 강조했다.",
                    ],
                ],
            },
            Angle {
                headlines: &[
                    "{school} 학생 {n3}명 복통·설사…{n1}명 입원 치료",
                    "식중독 증세 학생 {n3}명으로 늘어…학부모 불안",
                ],
                first: &[
                    "{place}의 한 {school}에서 급식을 먹은 학생 {n3}명이 {d}일 복통과 설사 증세를 보여 {n1}명이 병원에 입원했다.",
                    "{d}일 {place} {school}의 식중독 의심 환자가 {n3}명으로 늘어 학교가 단축 수업에 들어갔다.",
                ],
                second: &[
                    "입원한 학생 {person}양은 탈수 증세가 심해 수액 치료를 받고 있다.",
                    "학교는 증상이 있는 학생들을 귀가시키고 가정에서 쉬도록 안내했다.",
                ],
                body: [
                    &[
                        "한 학부모는 “{quote}”며 걱정을 감추지 못했다.",
                        "학부모 {person2}씨는 “{quote}”고 말했다.",
                    ],
                    &[
                        "보건소는 학교에 임시 진료소를 차려 학생들의 상태를 살피고 있다.",
                        "학교 측은 가정통신문을 보내 학부모들에게 상황을 알렸다.",
                    ],
                    &[
                        "다행히 중증 환자는 없어 대부분 며칠 안에 회복할 것으로 보인다.",
                        "일부 학부모는 당분간 아이에게 도시락을 싸 보내겠다고 했다.",
                    ],
                ],
            },
        ],
    },
    Event {
        slots: &[
            ("apt", &["아파트", "빌라", "다세대주택", "오피스텔"]),
            ("floor2", &["3", "5", "7", "11", "14"]),
        ],
        quotes: &[
            "천둥 치는 줄 알았다",
            "창문이 와르르 깨졌다",
            "집이 흔들릴 정도였다",
        ],
        angles: [
            Angle {
                headlines: &[
                    "{place} {apt} 폭발…“가스 배관 고의 훼손 정황”",
                    "{apt} 가스 폭발 원인 조사…경찰 “밸브 열려 있었다”",
                ],
                first: &[
                    "{d}일 {place} {town} {apt} {floor2}층에서 일어난 폭발은 누출된 도시가스에 불이 붙으며 생긴 것으로 경찰은 보고 있다.",
                    "경찰은 {d}일 {place} {apt} 폭발 현장에서 가스 중간 밸브가 열린 채 배관이 잘려 있는 것을 확인했다.",
                ],
                second: &[
                    "경찰은 집주인 {person:이} 가스 배관을 일부러 훼손했을 가능성을 열어 두고 주변 폐쇄회로(CC)TV를 분석하고 있다.",
                    "도시가스 업체는 사고 전날 이 가구에서 가스 사용량이 갑자기 늘었다고 경찰에 알렸다.",
                ],
                body: [
                    &[
                        "옆 동 주민 {person2}씨는 “{quote}”고 당시 상황을 전했다.",
                        "한 이웃은 경찰 조사에서 “{quote}”고 말했다.",
                    ],
                    &[
                        "경찰과 소방 당국은 {dd}일 국과수와 함께 2차 합동 감식을 벌일 예정이다.",
                        "경찰은 감식 결과가 나오는 대로 방화 혐의 적용 여부를 검토할 방침이다.",
                    ],
                    &[
                        "가스 안전 당국은 노후 배관 관리 실태도 함께 점검하기로 했다.",
                        "전문가들은 배관이 잘리면 자동으로 가스를 차단하는 장치를 의무화해야 한다고 지적했다.",
                    ],
                ],
            },
            Angle {
                headlines: &[
                    "{apt} 폭발 이재민 {n2}가구…체육관서 쪽잠",
                    "폭발 {apt} 주민들 “집에 언제 돌아가나”",
                ],
                first: &[
                    "{place} {town} {apt} 폭발 사고로 집을 잃은 주민 {n2}가구가 {d}일 인근 주민센터와 학교 체육관에 머물고 있다.",
                    "{d}일 폭발 사고가 난 {place}의 {apt} 주민들은 깨진 유리창과 그을린 벽을 보며 망연자실했다.",
                ],
                second: &[
                    "폭발로 {n1}명이 다쳤고 이 가운데 {floor2}층에 살던 {person}씨는 전신 화상을 입어 치료를 받고 있다.",
                    "구청은 건물 안전 진단이 끝날 때까지 주민들의 출입을 통제하기로 했다.",
                ],
                body: [
                    &[
                        "한 주민은 “{quote}”며 그날의 충격을 털어놨다.",
                        "잠을 자다 뛰쳐나온 주민은 “{quote}”고 말했다.",
                    ],
                    &[
                        "구호 단체들은 이재민들에게 담요와 생필품을 나눠 주고 있다.",
                        "구청은 이재민들이 임시로 머물 숙소를 마련하고 있다.",
                    ],
                    &[
                        "주민들은 안전 진단 결과에 따라 재입주가 몇 달씩 늦어질 수 있다는 소식에 한숨을 쉬었다.",
                        "자원봉사자들은 주민들을 위해 무료 급식을 제공하고 있다.",
                    ],
                ],
            },
        ],
    },
];

/// Two reports of one event of type `event` on day `dm` of the month, from its two angles.
pub fn reports(rng: &mut ChaCha8Rng, event: usize, dm: u32) -> [Report; 2] {
    let e = &EVENTS[event];
    let quote = e.quotes.choose(rng).expect("quotes").to_string();
    let mut bound = BTreeMap::from([
        ("d".to_string(), dm.to_string()),
        ("quote".to_string(), quote),
    ]);
    let mut report = |rng: &mut ChaCha8Rng, a: &Angle| {
        let mut frame = |rng: &mut ChaCha8Rng, frames: &[&str]| {
            let f = frames.choose(rng).expect("frames").to_string();
            fill(rng, &f, e.slots, &mut bound)
        };
        let headline = frame(rng, a.headlines);
        let lead = vec![frame(rng, a.first), frame(rng, a.second)];
        let body = a.body.iter().map(|b| frame(rng, b)).collect();
        Report {
            headline,
            lead,
            body,
        }
    };
    let first = report(rng, &e.angles[0]);
    let second = report(rng, &e.angles[1]);
    // Both orders alike: which angle a set prints first says nothing.
    let mut pair = [first, second];
    if rng.random_bool(0.5) {
        pair.swap(0, 1);
    }
    pair
}

impl super::Hard {
    /// Two stories of one event, on one day, by two outlets (kind `hard-negative-same-event`,
    /// full stories that get copies like any other). `false` when 30 draws find no pair under
    /// [`super::NEIGHBOUR_MAX`] against each other and every story, with leads under
    /// [`super::LEAD_MAX`] against each other and every lead (their flashes must stay apart).
    pub(super) fn same_event_pair(&mut self) -> bool {
        use super::{containment, shingle_set, text_set, LEAD_MAX, NEIGHBOUR_MAX};
        use crate::Draft;
        for _ in 0..30 {
            let day = self.b.rng.random_range(0..super::DAYS - 1);
            let dm = super::outlets::civil(day).2;
            let event = self.b.rng.random_range(0..EVENTS.len());
            let pair = reports(&mut self.b.rng, event, dm);
            let drafts = pair.map(|r| {
                let paragraphs = if self.b.rng.random_bool(0.5) {
                    vec![r.lead, r.body]
                } else {
                    let mut first = r.lead;
                    first.push(r.body[0].clone());
                    vec![first, r.body[1..].to_vec()]
                };
                Draft {
                    title: r.headline,
                    paragraphs,
                }
            });
            let texts = drafts.each_ref().map(|d| text_set(&d.render()));
            let leads = drafts.each_ref().map(|d| {
                shingle_set(&d.sentences().take(2).cloned().collect::<Vec<_>>().join(" "))
            });
            let apart = drafts[0].title != drafts[1].title
                && drafts.iter().all(|d| !self.b.titles.contains(&d.title))
                && containment(&texts[0], &texts[1]) < NEIGHBOUR_MAX
                && texts
                    .iter()
                    .all(|t| self.texts.closest(t, &[]) < NEIGHBOUR_MAX)
                && containment(&leads[0], &leads[1]) < LEAD_MAX
                && leads.iter().all(|l| self.leads.closest(l, &[]) < LEAD_MAX);
            if !apart {
                continue;
            }
            for l in &leads {
                self.leads.add(l);
            }
            let x = self.random_outlet(false, None);
            let y = self.random_outlet(false, Some(x));
            let [a, b] = drafts;
            self.root_at("hard-negative-same-event", a, 2, true, x, day);
            self.root_at("hard-negative-same-event", b, 2, true, y, day);
            return true;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn reports_share_the_event_not_the_sentences() {
        let mut rng = ChaCha8Rng::seed_from_u64(8);
        for (event, e) in EVENTS.iter().enumerate() {
            for _ in 0..20 {
                let [a, b] = reports(&mut rng, event, 16);
                let text = |r: &Report| [r.lead.clone(), r.body.clone()].concat().join(" ");
                let (ta, tb) = (text(&a), text(&b));
                for s in [&ta, &tb, &a.headline, &b.headline] {
                    assert!(!s.contains(['{', '}']), "event {event}: {s}");
                }
                // One phrase quoted once in each, the day in each, no sentence in both.
                let quoted: Vec<&&str> = e.quotes.iter().filter(|q| ta.contains(**q)).collect();
                assert_eq!(quoted.len(), 1, "{ta}");
                assert_eq!(ta.matches(quoted[0]).count(), 1, "{ta}");
                assert_eq!(tb.matches(quoted[0]).count(), 1, "{tb}");
                assert!(ta.contains("16일") && tb.contains("16일"), "{ta} / {tb}");
                let sa: Vec<&String> = a.lead.iter().chain(&a.body).collect();
                assert!(b.lead.iter().chain(&b.body).all(|s| !sa.contains(&s)));
            }
        }
    }
}
