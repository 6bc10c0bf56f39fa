"use client";

import { useTranslations } from "next-intl";
import { ROLES, type Role } from "@/lib/auth/permissions";
import { SelectField } from "@/components/ui/field";

/** Role select with a hint describing what the chosen role may do. Controlled: the team picker depends on it. */
export function RoleField({ value, onChange, error }: { value: Role; onChange: (role: Role) => void; error?: string }) {
  const t = useTranslations();
  return (
    <SelectField
      label={t("users.form.role")}
      name="role"
      value={value}
      onChange={(e) => onChange(e.target.value as Role)}
      error={error}
      hint={t(`users.form.roleHint.${value}`)}
    >
      {ROLES.map((role) => (
        <option key={role} value={role}>
          {t(`roles.${role}`)}
        </option>
      ))}
    </SelectField>
  );
}
