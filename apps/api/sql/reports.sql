-- Generated from the statements in apps/api/src/data by sql-files.spec.ts.
-- Do not edit: change the statement in its repository, then run `npm run sql`.

-- reports.checkInsCounts
SELECT d.domain AS k0, CASE WHEN d.rating > prev.rating THEN 'improved' WHEN d.rating < prev.rating THEN 'worsened' ELSE 'same' END AS k1, to_char(ci.created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS k2, count(*)::int AS n
       FROM outcome_check_in ci
    CROSS JOIN LATERAL (VALUES ('safety', ci.safety), ('legal_status', ci.legal_status), ('health_wellbeing', ci.health_wellbeing), ('work_money', ci.work_money), ('housing', ci.housing), ('social_support', ci.social_support)) d(domain, rating)
    CROSS JOIN LATERAL (
      SELECT CASE d.domain WHEN 'safety' THEN pr.safety WHEN 'legal_status' THEN pr.legal_status WHEN 'health_wellbeing' THEN pr.health_wellbeing WHEN 'work_money' THEN pr.work_money WHEN 'housing' THEN pr.housing WHEN 'social_support' THEN pr.social_support END AS rating FROM outcome_check_in pr
       WHERE pr.organisation_id = ci.organisation_id AND pr.person_id = ci.person_id
         AND (pr.created_at, pr.id) < (ci.created_at, ci.id) AND pr.checked_on <= ci.checked_on
         AND CASE d.domain WHEN 'safety' THEN pr.safety WHEN 'legal_status' THEN pr.legal_status WHEN 'health_wellbeing' THEN pr.health_wellbeing WHEN 'work_money' THEN pr.work_money WHEN 'housing' THEN pr.housing WHEN 'social_support' THEN pr.social_support END IS NOT NULL
       ORDER BY pr.checked_on DESC, pr.created_at DESC, pr.id DESC LIMIT 1) prev
    JOIN person p ON p.organisation_id = ci.organisation_id AND p.id = ci.person_id
    WHERE ci.organisation_id = :organisationId AND d.rating IS NOT NULL
      AND p.consent_to_reporting AND p.id <> ALL (:excluded::uuid[]) AND ci.created_at >= :start AND ci.created_at < :end
      GROUP BY 1, 2, 3;

-- reports.contactsCounts
SELECT c.channel AS k0, c.kind AS k1, coalesce(c.language_group, 'not_recorded') AS k2, c.location_type AS k3, sum(c.headcount)::int AS n
       FROM contact c
    LEFT JOIN person p ON p.organisation_id = c.organisation_id AND p.id = c.person_id
    WHERE c.organisation_id = :organisationId AND (c.person_id IS NULL OR (p.consent_to_reporting AND p.id <> ALL (:excluded::uuid[]))) AND c.created_at >= :start AND c.created_at < :end
      GROUP BY 1, 2, 3, 4;

-- reports.contactsCountsByChannel
SELECT c.channel AS k0, c.kind AS k1, coalesce(c.language_group, 'not_recorded') AS k2, c.location_type AS k3, c.channel AS k4, sum(c.headcount)::int AS n
       FROM contact c
    LEFT JOIN person p ON p.organisation_id = c.organisation_id AND p.id = c.person_id
    WHERE c.organisation_id = :organisationId AND (c.person_id IS NULL OR (p.consent_to_reporting AND p.id <> ALL (:excluded::uuid[]))) AND c.created_at >= :start AND c.created_at < :end
      GROUP BY 1, 2, 3, 4, 5;

-- reports.contactsCountsByLanguage
SELECT c.channel AS k0, c.kind AS k1, coalesce(c.language_group, 'not_recorded') AS k2, c.location_type AS k3, coalesce(c.language_group, 'not_recorded') AS k4, sum(c.headcount)::int AS n
       FROM contact c
    LEFT JOIN person p ON p.organisation_id = c.organisation_id AND p.id = c.person_id
    WHERE c.organisation_id = :organisationId AND (c.person_id IS NULL OR (p.consent_to_reporting AND p.id <> ALL (:excluded::uuid[]))) AND c.created_at >= :start AND c.created_at < :end
      GROUP BY 1, 2, 3, 4, 5;

-- reports.contactsCountsByRegion
SELECT c.channel AS k0, c.kind AS k1, coalesce(c.language_group, 'not_recorded') AS k2, c.location_type AS k3, coalesce(p.region_of_origin, 'unknown') AS k4, sum(c.headcount)::int AS n
       FROM contact c
    LEFT JOIN person p ON p.organisation_id = c.organisation_id AND p.id = c.person_id
    WHERE c.organisation_id = :organisationId AND (c.person_id IS NULL OR (p.consent_to_reporting AND p.id <> ALL (:excluded::uuid[]))) AND c.created_at >= :start AND c.created_at < :end
      GROUP BY 1, 2, 3, 4, 5;

-- reports.contactsTagCounts
SELECT k0, k1, k2, k3, tag, sum(m)::int AS n
       FROM (SELECT c.channel AS k0, c.kind AS k1, coalesce(c.language_group, 'not_recorded') AS k2, c.location_type AS k3,
                    unnest(c.circumstances) AS tag,
                    c.headcount AS m
               FROM contact c
    LEFT JOIN person p ON p.organisation_id = c.organisation_id AND p.id = c.person_id
    WHERE c.organisation_id = :organisationId AND (c.person_id IS NULL OR (p.consent_to_reporting AND p.id <> ALL (:excluded::uuid[]))) AND c.created_at >= :start AND c.created_at < :end) tagged
      GROUP BY 1, 2, 3, 4, tag;

-- reports.disclosuresCounts
SELECT dr.authority AS k0, CASE WHEN dr.disclosed_at IS NOT NULL THEN 'disclosed' WHEN dr.refusal_reason IS NOT NULL THEN 'refused' ELSE 'recorded' END AS k1, to_char(dr.created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS k2, count(*)::int AS n
       FROM disclosure_request dr WHERE dr.organisation_id = :organisationId AND dr.created_at >= :start AND dr.created_at < :end
      GROUP BY 1, 2, 3;

-- reports.needsCounts
SELECT n.category AS k0, n.status AS k1, to_char(n.created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS k2, count(*)::int AS n
       FROM support_need n
    LEFT JOIN person p ON p.organisation_id = n.organisation_id AND p.id = n.person_id
    LEFT JOIN contact c ON c.organisation_id = n.organisation_id AND c.id = n.contact_id
    WHERE n.organisation_id = :organisationId AND (n.person_id IS NULL OR (p.consent_to_reporting AND p.id <> ALL (:excluded::uuid[]))) AND n.created_at >= :start AND n.created_at < :end
      GROUP BY 1, 2, 3;

-- reports.needsCountsByCategory
SELECT n.category AS k0, n.status AS k1, to_char(n.created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS k2, n.category AS k3, count(*)::int AS n
       FROM support_need n
    LEFT JOIN person p ON p.organisation_id = n.organisation_id AND p.id = n.person_id
    LEFT JOIN contact c ON c.organisation_id = n.organisation_id AND c.id = n.contact_id
    WHERE n.organisation_id = :organisationId AND (n.person_id IS NULL OR (p.consent_to_reporting AND p.id <> ALL (:excluded::uuid[]))) AND n.created_at >= :start AND n.created_at < :end
      GROUP BY 1, 2, 3, 4;

-- reports.needsCountsByChannel
SELECT n.category AS k0, n.status AS k1, to_char(n.created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS k2, coalesce(c.channel, 'not_recorded') AS k3, count(*)::int AS n
       FROM support_need n
    LEFT JOIN person p ON p.organisation_id = n.organisation_id AND p.id = n.person_id
    LEFT JOIN contact c ON c.organisation_id = n.organisation_id AND c.id = n.contact_id
    WHERE n.organisation_id = :organisationId AND (n.person_id IS NULL OR (p.consent_to_reporting AND p.id <> ALL (:excluded::uuid[]))) AND n.created_at >= :start AND n.created_at < :end
      GROUP BY 1, 2, 3, 4;

-- reports.needsCountsByLanguage
SELECT n.category AS k0, n.status AS k1, to_char(n.created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS k2, coalesce(p.language_group, c.language_group, 'not_recorded') AS k3, count(*)::int AS n
       FROM support_need n
    LEFT JOIN person p ON p.organisation_id = n.organisation_id AND p.id = n.person_id
    LEFT JOIN contact c ON c.organisation_id = n.organisation_id AND c.id = n.contact_id
    WHERE n.organisation_id = :organisationId AND (n.person_id IS NULL OR (p.consent_to_reporting AND p.id <> ALL (:excluded::uuid[]))) AND n.created_at >= :start AND n.created_at < :end
      GROUP BY 1, 2, 3, 4;

-- reports.needsCountsByRegion
SELECT n.category AS k0, n.status AS k1, to_char(n.created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS k2, coalesce(p.region_of_origin, 'unknown') AS k3, count(*)::int AS n
       FROM support_need n
    LEFT JOIN person p ON p.organisation_id = n.organisation_id AND p.id = n.person_id
    LEFT JOIN contact c ON c.organisation_id = n.organisation_id AND c.id = n.contact_id
    WHERE n.organisation_id = :organisationId AND (n.person_id IS NULL OR (p.consent_to_reporting AND p.id <> ALL (:excluded::uuid[]))) AND n.created_at >= :start AND n.created_at < :end
      GROUP BY 1, 2, 3, 4;

-- reports.needsTagCounts
SELECT k0, k1, k2, tag, sum(m)::int AS n
       FROM (SELECT n.category AS k0, n.status AS k1, to_char(n.created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS k2,
                    unnest(coalesce(c.circumstances, '{}')) AS tag,
                    1 AS m
               FROM support_need n
    LEFT JOIN person p ON p.organisation_id = n.organisation_id AND p.id = n.person_id
    LEFT JOIN contact c ON c.organisation_id = n.organisation_id AND c.id = n.contact_id
    WHERE n.organisation_id = :organisationId AND (n.person_id IS NULL OR (p.consent_to_reporting AND p.id <> ALL (:excluded::uuid[]))) AND n.created_at >= :start AND n.created_at < :end) tagged
      GROUP BY 1, 2, 3, tag;

-- reports.organisation
SELECT o.report_k,
          (SELECT coalesce(json_agg(json_build_object('id', p.id, 'name', p.name)
                                    ORDER BY p.created_at, p.id), '[]')
             FROM partner p WHERE p.organisation_id = o.id) AS partners
     FROM organisation o WHERE o.id = :organisationId;

-- reports.outcomes
SELECT x.value, GROUPING(x.category) AS by_partner, x.category, x.partner,
              count(*)::int AS n,
              percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY x.days) AS q
         FROM (SELECT NULL::text AS value, n.category, r.partner_id::text AS partner,
                      extract(epoch FROM r.closed_at - r.created_at) / 86400 AS days
                 FROM referral r
    JOIN support_need n ON n.organisation_id = r.organisation_id AND n.id = r.need_id
    LEFT JOIN person p ON p.organisation_id = r.organisation_id AND p.id = coalesce(r.person_id, n.person_id)
    LEFT JOIN contact c ON c.organisation_id = n.organisation_id AND c.id = n.contact_id
    WHERE r.organisation_id = :organisationId AND (coalesce(r.person_id, n.person_id) IS NULL OR (p.consent_to_reporting AND p.id <> ALL (:excluded::uuid[]))) AND r.closed_at >= :start AND r.closed_at < :end) x
        GROUP BY GROUPING SETS ((x.value, x.category), (x.value, x.partner));

-- reports.outcomesByCategory
SELECT x.value, GROUPING(x.category) AS by_partner, x.category, x.partner,
              count(*)::int AS n,
              percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY x.days) AS q
         FROM (SELECT n.category AS value, n.category, r.partner_id::text AS partner,
                      extract(epoch FROM r.closed_at - r.created_at) / 86400 AS days
                 FROM referral r
    JOIN support_need n ON n.organisation_id = r.organisation_id AND n.id = r.need_id
    LEFT JOIN person p ON p.organisation_id = r.organisation_id AND p.id = coalesce(r.person_id, n.person_id)
    LEFT JOIN contact c ON c.organisation_id = n.organisation_id AND c.id = n.contact_id
    WHERE r.organisation_id = :organisationId AND (coalesce(r.person_id, n.person_id) IS NULL OR (p.consent_to_reporting AND p.id <> ALL (:excluded::uuid[]))) AND r.closed_at >= :start AND r.closed_at < :end) x
        GROUP BY GROUPING SETS ((x.value, x.category), (x.value, x.partner));

-- reports.outcomesByChannel
SELECT x.value, GROUPING(x.category) AS by_partner, x.category, x.partner,
              count(*)::int AS n,
              percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY x.days) AS q
         FROM (SELECT coalesce(c.channel, 'not_recorded') AS value, n.category, r.partner_id::text AS partner,
                      extract(epoch FROM r.closed_at - r.created_at) / 86400 AS days
                 FROM referral r
    JOIN support_need n ON n.organisation_id = r.organisation_id AND n.id = r.need_id
    LEFT JOIN person p ON p.organisation_id = r.organisation_id AND p.id = coalesce(r.person_id, n.person_id)
    LEFT JOIN contact c ON c.organisation_id = n.organisation_id AND c.id = n.contact_id
    WHERE r.organisation_id = :organisationId AND (coalesce(r.person_id, n.person_id) IS NULL OR (p.consent_to_reporting AND p.id <> ALL (:excluded::uuid[]))) AND r.closed_at >= :start AND r.closed_at < :end) x
        GROUP BY GROUPING SETS ((x.value, x.category), (x.value, x.partner));

-- reports.outcomesByCircumstance
SELECT x.value, GROUPING(x.category) AS by_partner, x.category, x.partner,
              count(*)::int AS n,
              percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY x.days) AS q
         FROM (SELECT unnest(coalesce(c.circumstances, '{}')) AS value, n.category, r.partner_id::text AS partner,
                      extract(epoch FROM r.closed_at - r.created_at) / 86400 AS days
                 FROM referral r
    JOIN support_need n ON n.organisation_id = r.organisation_id AND n.id = r.need_id
    LEFT JOIN person p ON p.organisation_id = r.organisation_id AND p.id = coalesce(r.person_id, n.person_id)
    LEFT JOIN contact c ON c.organisation_id = n.organisation_id AND c.id = n.contact_id
    WHERE r.organisation_id = :organisationId AND (coalesce(r.person_id, n.person_id) IS NULL OR (p.consent_to_reporting AND p.id <> ALL (:excluded::uuid[]))) AND r.closed_at >= :start AND r.closed_at < :end) x
        GROUP BY GROUPING SETS ((x.value, x.category), (x.value, x.partner));

-- reports.outcomesByLanguage
SELECT x.value, GROUPING(x.category) AS by_partner, x.category, x.partner,
              count(*)::int AS n,
              percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY x.days) AS q
         FROM (SELECT coalesce(p.language_group, c.language_group, 'not_recorded') AS value, n.category, r.partner_id::text AS partner,
                      extract(epoch FROM r.closed_at - r.created_at) / 86400 AS days
                 FROM referral r
    JOIN support_need n ON n.organisation_id = r.organisation_id AND n.id = r.need_id
    LEFT JOIN person p ON p.organisation_id = r.organisation_id AND p.id = coalesce(r.person_id, n.person_id)
    LEFT JOIN contact c ON c.organisation_id = n.organisation_id AND c.id = n.contact_id
    WHERE r.organisation_id = :organisationId AND (coalesce(r.person_id, n.person_id) IS NULL OR (p.consent_to_reporting AND p.id <> ALL (:excluded::uuid[]))) AND r.closed_at >= :start AND r.closed_at < :end) x
        GROUP BY GROUPING SETS ((x.value, x.category), (x.value, x.partner));

-- reports.outcomesByPartner
SELECT x.value, GROUPING(x.category) AS by_partner, x.category, x.partner,
              count(*)::int AS n,
              percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY x.days) AS q
         FROM (SELECT r.partner_id::text AS value, n.category, r.partner_id::text AS partner,
                      extract(epoch FROM r.closed_at - r.created_at) / 86400 AS days
                 FROM referral r
    JOIN support_need n ON n.organisation_id = r.organisation_id AND n.id = r.need_id
    LEFT JOIN person p ON p.organisation_id = r.organisation_id AND p.id = coalesce(r.person_id, n.person_id)
    LEFT JOIN contact c ON c.organisation_id = n.organisation_id AND c.id = n.contact_id
    WHERE r.organisation_id = :organisationId AND (coalesce(r.person_id, n.person_id) IS NULL OR (p.consent_to_reporting AND p.id <> ALL (:excluded::uuid[]))) AND r.closed_at >= :start AND r.closed_at < :end) x
        GROUP BY GROUPING SETS ((x.value, x.category), (x.value, x.partner));

-- reports.outcomesByRegion
SELECT x.value, GROUPING(x.category) AS by_partner, x.category, x.partner,
              count(*)::int AS n,
              percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY x.days) AS q
         FROM (SELECT coalesce(p.region_of_origin, 'unknown') AS value, n.category, r.partner_id::text AS partner,
                      extract(epoch FROM r.closed_at - r.created_at) / 86400 AS days
                 FROM referral r
    JOIN support_need n ON n.organisation_id = r.organisation_id AND n.id = r.need_id
    LEFT JOIN person p ON p.organisation_id = r.organisation_id AND p.id = coalesce(r.person_id, n.person_id)
    LEFT JOIN contact c ON c.organisation_id = n.organisation_id AND c.id = n.contact_id
    WHERE r.organisation_id = :organisationId AND (coalesce(r.person_id, n.person_id) IS NULL OR (p.consent_to_reporting AND p.id <> ALL (:excluded::uuid[]))) AND r.closed_at >= :start AND r.closed_at < :end) x
        GROUP BY GROUPING SETS ((x.value, x.category), (x.value, x.partner));

-- reports.publish
INSERT INTO report_publication (organisation_id, family, period, published_at, k, content)
   VALUES (:organisationId, :family, :period, :publishedAt, :k, :content::jsonb) ON CONFLICT DO NOTHING;

-- reports.publishedPeriods
SELECT period FROM report_publication
    WHERE organisation_id = :organisationId AND family = :family AND period = ANY(:periods::text[]);

-- reports.referralsCounts
SELECT r.partner_id::text AS k0, r.status AS k1, to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS k2, count(*)::int AS n
       FROM referral r
    JOIN support_need n ON n.organisation_id = r.organisation_id AND n.id = r.need_id
    LEFT JOIN person p ON p.organisation_id = r.organisation_id AND p.id = coalesce(r.person_id, n.person_id)
    LEFT JOIN contact c ON c.organisation_id = n.organisation_id AND c.id = n.contact_id
    WHERE r.organisation_id = :organisationId AND (coalesce(r.person_id, n.person_id) IS NULL OR (p.consent_to_reporting AND p.id <> ALL (:excluded::uuid[]))) AND r.created_at >= :start AND r.created_at < :end
      GROUP BY 1, 2, 3;

-- reports.referralsCountsByCategory
SELECT r.partner_id::text AS k0, r.status AS k1, to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS k2, n.category AS k3, count(*)::int AS n
       FROM referral r
    JOIN support_need n ON n.organisation_id = r.organisation_id AND n.id = r.need_id
    LEFT JOIN person p ON p.organisation_id = r.organisation_id AND p.id = coalesce(r.person_id, n.person_id)
    LEFT JOIN contact c ON c.organisation_id = n.organisation_id AND c.id = n.contact_id
    WHERE r.organisation_id = :organisationId AND (coalesce(r.person_id, n.person_id) IS NULL OR (p.consent_to_reporting AND p.id <> ALL (:excluded::uuid[]))) AND r.created_at >= :start AND r.created_at < :end
      GROUP BY 1, 2, 3, 4;

-- reports.referralsCountsByChannel
SELECT r.partner_id::text AS k0, r.status AS k1, to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS k2, coalesce(c.channel, 'not_recorded') AS k3, count(*)::int AS n
       FROM referral r
    JOIN support_need n ON n.organisation_id = r.organisation_id AND n.id = r.need_id
    LEFT JOIN person p ON p.organisation_id = r.organisation_id AND p.id = coalesce(r.person_id, n.person_id)
    LEFT JOIN contact c ON c.organisation_id = n.organisation_id AND c.id = n.contact_id
    WHERE r.organisation_id = :organisationId AND (coalesce(r.person_id, n.person_id) IS NULL OR (p.consent_to_reporting AND p.id <> ALL (:excluded::uuid[]))) AND r.created_at >= :start AND r.created_at < :end
      GROUP BY 1, 2, 3, 4;

-- reports.referralsCountsByLanguage
SELECT r.partner_id::text AS k0, r.status AS k1, to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS k2, coalesce(p.language_group, c.language_group, 'not_recorded') AS k3, count(*)::int AS n
       FROM referral r
    JOIN support_need n ON n.organisation_id = r.organisation_id AND n.id = r.need_id
    LEFT JOIN person p ON p.organisation_id = r.organisation_id AND p.id = coalesce(r.person_id, n.person_id)
    LEFT JOIN contact c ON c.organisation_id = n.organisation_id AND c.id = n.contact_id
    WHERE r.organisation_id = :organisationId AND (coalesce(r.person_id, n.person_id) IS NULL OR (p.consent_to_reporting AND p.id <> ALL (:excluded::uuid[]))) AND r.created_at >= :start AND r.created_at < :end
      GROUP BY 1, 2, 3, 4;

-- reports.referralsCountsByPartner
SELECT r.partner_id::text AS k0, r.status AS k1, to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS k2, r.partner_id::text AS k3, count(*)::int AS n
       FROM referral r
    JOIN support_need n ON n.organisation_id = r.organisation_id AND n.id = r.need_id
    LEFT JOIN person p ON p.organisation_id = r.organisation_id AND p.id = coalesce(r.person_id, n.person_id)
    LEFT JOIN contact c ON c.organisation_id = n.organisation_id AND c.id = n.contact_id
    WHERE r.organisation_id = :organisationId AND (coalesce(r.person_id, n.person_id) IS NULL OR (p.consent_to_reporting AND p.id <> ALL (:excluded::uuid[]))) AND r.created_at >= :start AND r.created_at < :end
      GROUP BY 1, 2, 3, 4;

-- reports.referralsCountsByRegion
SELECT r.partner_id::text AS k0, r.status AS k1, to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS k2, coalesce(p.region_of_origin, 'unknown') AS k3, count(*)::int AS n
       FROM referral r
    JOIN support_need n ON n.organisation_id = r.organisation_id AND n.id = r.need_id
    LEFT JOIN person p ON p.organisation_id = r.organisation_id AND p.id = coalesce(r.person_id, n.person_id)
    LEFT JOIN contact c ON c.organisation_id = n.organisation_id AND c.id = n.contact_id
    WHERE r.organisation_id = :organisationId AND (coalesce(r.person_id, n.person_id) IS NULL OR (p.consent_to_reporting AND p.id <> ALL (:excluded::uuid[]))) AND r.created_at >= :start AND r.created_at < :end
      GROUP BY 1, 2, 3, 4;

-- reports.referralsTagCounts
SELECT k0, k1, k2, tag, sum(m)::int AS n
       FROM (SELECT r.partner_id::text AS k0, r.status AS k1, to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS k2,
                    unnest(coalesce(c.circumstances, '{}')) AS tag,
                    1 AS m
               FROM referral r
    JOIN support_need n ON n.organisation_id = r.organisation_id AND n.id = r.need_id
    LEFT JOIN person p ON p.organisation_id = r.organisation_id AND p.id = coalesce(r.person_id, n.person_id)
    LEFT JOIN contact c ON c.organisation_id = n.organisation_id AND c.id = n.contact_id
    WHERE r.organisation_id = :organisationId AND (coalesce(r.person_id, n.person_id) IS NULL OR (p.consent_to_reporting AND p.id <> ALL (:excluded::uuid[]))) AND r.created_at >= :start AND r.created_at < :end) tagged
      GROUP BY 1, 2, 3, tag;

-- reports.slices
SELECT period, published_at, k, content -> 'tiers' -> :tier -> :slice AS slice
     FROM report_publication
    WHERE organisation_id = :organisationId AND family = :family AND period = ANY(:periods::text[]);
