"use client";

import { useTranslations } from "next-intl";
import { SelectField } from "@/components/ui/field";

export interface OwnerOption {
  id: string;
  name: string;
  email: string;
  teams: { id: string; name: string }[];
}

/**
 * Owner and team for a key (issue and adopt): the team list is the chosen owner's teams, and an
 * owner with one team gets it preselected. The server checks the pair again (field.ownerTeam).
 */
export function OwnerTeamFields({
  owners,
  ownerId,
  teamId,
  onChange,
  ownerError,
  teamError,
  showOwnerHint = false,
}: {
  owners: OwnerOption[];
  ownerId: string;
  teamId: string;
  onChange: (ownerId: string, teamId: string) => void;
  ownerError?: string;
  teamError?: string;
  showOwnerHint?: boolean;
}) {
  const t = useTranslations("keys.form");
  const owner = owners.find((o) => o.id === ownerId);
  return (
    <>
      <SelectField
        label={t("owner")}
        name="ownerId"
        value={ownerId}
        required
        error={ownerError}
        hint={showOwnerHint ? t("ownerHint") : undefined}
        onChange={(e) => {
          const next = owners.find((o) => o.id === e.target.value);
          onChange(e.target.value, next?.teams.length === 1 ? next.teams[0]!.id : "");
        }}
      >
        <option value="">{t("chooseOwner")}</option>
        {owners.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name} ({o.email})
          </option>
        ))}
      </SelectField>
      <SelectField
        label={t("team")}
        name="teamId"
        value={teamId}
        required
        disabled={!owner}
        hint={owner ? t("teamHint") : t("teamNeedsOwner")}
        error={teamError}
        onChange={(e) => onChange(ownerId, e.target.value)}
      >
        <option value="">{t("chooseTeam")}</option>
        {owner?.teams.map((team) => (
          <option key={team.id} value={team.id}>
            {team.name}
          </option>
        ))}
      </SelectField>
    </>
  );
}
