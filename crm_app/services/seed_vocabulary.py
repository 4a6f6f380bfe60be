"""The words demo customers are made of (names, companies, public bodies, places, e-mail domains, tags)
and the drawing of a customer's names from them, written as the services would clean them."""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache

from crm_app.domain.search_text import normalize

PEOPLE_POOL = 40_000

# fmt: off
FEMALE = (
    "María", "Ana", "Lucía", "Sofía", "Valentina", "Camila", "Isabella", "Daniela", "Gabriela", "Fernanda",
    "Ximena", "Renata", "Mariana", "Paula", "Andrea", "Carolina", "Verónica", "Mónica", "Patricia", "Rocío",
    "Inés", "Belén", "Marisol", "Gloria", "Rosa", "Carmen", "Teresa", "Elena", "Natalia", "Adriana",
    "Lorena", "Diana", "Jimena", "Florencia", "Agustina", "Martina", "Antonella", "Catalina", "Josefina",
    "Guadalupe", "Leticia", "Beatriz", "Alejandra", "Claudia", "Sandra", "Liliana", "Esperanza", "Pilar",
    "Ángela", "Noemí", "Raquel", "Silvia", "Yolanda", "Zoila", "Margarita", "Maribel", "Dolores", "Soledad",
    "María José", "Ana María", "María Fernanda", "Luz María",
)
MALE = (
    "José", "Juan", "Luis", "Carlos", "Jorge", "Miguel", "Pedro", "Andrés", "Martín", "Mateo", "Sebastián",
    "Nicolás", "Diego", "Alejandro", "Santiago", "Daniel", "David", "Gabriel", "Samuel", "Tomás", "Joaquín",
    "Julián", "Emilio", "Rubén", "Héctor", "Víctor", "Ramón", "Raúl", "Óscar", "Iván", "Ángel", "Jesús",
    "Fernando", "Francisco", "Manuel", "Ricardo", "Eduardo", "Roberto", "Sergio", "Pablo", "Marco",
    "Esteban", "Felipe", "Gustavo", "Hugo", "Ignacio", "Javier", "Lorenzo", "Mauricio", "Rodrigo", "Wilson",
    "Xavier", "Álvaro", "Agustín", "Benjamín", "Cristóbal", "Efraín", "Germán", "Simón", "Leonardo",
    "Juan Pablo", "José Luis", "Juan Carlos", "Luis Fernando",
)
SURNAMES = (
    "García", "Rodríguez", "González", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez",
    "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz", "Álvarez", "Romero", "Alonso",
    "Gutiérrez", "Navarro", "Torres", "Domínguez", "Vázquez", "Ramos", "Gil", "Ramírez", "Serrano",
    "Blanco", "Suárez", "Molina", "Morales", "Ortega", "Delgado", "Castro", "Ortiz", "Rubio", "Marín",
    "Núñez", "Iglesias", "Medina", "Garrido", "Cortés", "Castillo", "Santos", "Lozano", "Guerrero", "Cano",
    "Prieto", "Méndez", "Cruz", "Calvo", "Gallego", "Vidal", "León", "Márquez", "Herrera", "Peña", "Flores",
    "Cabrera", "Campos", "Vega", "Fuentes", "Carrasco", "Caballero", "Reyes", "Nieto", "Aguilar", "Pascual",
    "Santana", "Montero", "Hidalgo", "Ibáñez", "Ferrer", "Durán", "Benítez", "Mora", "Vargas", "Arias",
    "Carmona", "Crespo", "Román", "Soto", "Velasco", "Parra", "Bravo", "Rojas", "Quispe", "Mamani",
    "Chávez", "Salazar", "Paredes", "Zambrano", "Villacís", "Andrade", "Mejía", "Cárdenas", "Ríos",
    "Espinoza", "Guzmán", "Valencia", "Córdova", "Bustamante", "Sarmiento", "Cevallos", "Jaramillo",
    "Arévalo", "Benavides", "Cisneros", "Escobar", "Figueroa", "Montalvo", "Ocampo", "Palacios", "Quintero",
    "Rivadeneira", "Toapanta", "Yépez", "Zúñiga", "Acosta", "Bermúdez", "Calderón", "Carvajal",
    "Echeverría", "Maldonado", "Ordóñez",
)
COMPANY_FIRST = (
    "Ferretería", "Distribuidora", "Comercial", "Importadora", "Panadería", "Farmacia", "Inversiones",
    "Constructora", "Servicios", "Tecnología", "Agrícola", "Textiles", "Transportes", "Consultores",
    "Grupo", "Librería", "Papelería", "Mueblería", "Lavandería", "Clínica", "Laboratorio", "Hotel",
    "Restaurante", "Cafetería", "Florería", "Óptica", "Talleres", "Exportadora", "Industrias", "Pinturas",
)
COMPANY_SECOND = (
    "Andina", "del Pacífico", "El Sol", "La Esperanza", "San José", "Los Andes", "Santa María", "Amazonas",
    "Central", "Express", "Global", "del Norte", "del Sur", "Continental", "Nacional", "La Económica",
    "El Progreso", "Miraflores", "La Favorita", "Dos Hermanos", "San Martín", "El Roble", "Primavera",
    "Cóndor", "Galápagos", "Chimborazo", "Volcán", "Horizonte", "Santa Lucía", "El Dorado",
)
LEGAL_SUFFIXES = {
    "EC": ("S.A.", "Cía. Ltda.", "S.A.S."),
    "CO": ("S.A.S.", "S.A.", "Ltda."),
    "MX": ("S.A. de C.V.", "S. de R.L."),
    "PE": ("S.A.C.", "S.A.", "E.I.R.L."),
    "CL": ("SpA", "Ltda.", "S.A."),
    "AR": ("S.A.", "S.R.L."),
    "BR": ("Ltda.", "S.A.", "ME"),
}
GOVERNMENT = (
    "Municipio de", "Gobierno Provincial de", "Hospital General de", "Universidad Estatal de",
    "Empresa Pública de Agua de", "Unidad Educativa Fiscal de",
)
CITIES = {
    "EC": ("Quito", "Guayaquil", "Cuenca", "Ambato", "Manta", "Loja", "Riobamba", "Ibarra", "Machala"),
    "CO": ("Bogotá", "Medellín", "Cali", "Barranquilla", "Cartagena", "Bucaramanga", "Pereira"),
    "MX": ("Ciudad de México", "Guadalajara", "Monterrey", "Puebla", "Querétaro", "Mérida", "León"),
    "PE": ("Lima", "Arequipa", "Trujillo", "Cusco", "Piura", "Chiclayo"),
    "CL": ("Santiago", "Valparaíso", "Concepción", "Antofagasta", "Temuco"),
    "AR": ("Buenos Aires", "Córdoba", "Rosario", "Mendoza", "La Plata", "Salta"),
    "BR": ("São Paulo", "Rio de Janeiro", "Belo Horizonte", "Salvador", "Brasília", "Curitiba", "Recife",
           "Porto Alegre", "Fortaleza"),
}
STREETS = (
    "Av. Amazonas", "Calle Bolívar", "Av. 10 de Agosto", "Calle Sucre", "Av. Libertador",
    "Calle Rocafuerte", "Av. de los Shyris", "Calle García Moreno", "Av. Colón", "Calle Olmedo",
)
DOMAINS = (
    "gmail.com", "hotmail.com", "outlook.com", "yahoo.com", "icloud.com", "live.com",
)
TAGS = (
    "VIP", "Mayorista", "Frecuente", "Nuevo", "Corporativo", "Referido", "Crédito", "Moroso",
)
TAG_WEIGHTS = (
    5, 8, 20, 15, 6, 10, 6, 2,
)
# fmt: on


@dataclass(frozen=True)
class _Name:
    text: str
    key: str  # normalized (search text, sort name)
    ascii: str  # for e-mail local parts: "maria jose" -> "mariajose"


def _names(values: tuple[str, ...]) -> list[_Name]:
    return [_Name(v, normalize(v), normalize(v).replace(" ", "")) for v in values]


@lru_cache(maxsize=65536)
def _normalized(value: str) -> str:
    return normalize(value)


# A customer's names as clean_customer would leave them: (client type, first name, last name, legal name,
# trade name, contact name, display name, sort name, what they add to his search text (normalized, in
# customer_search_text's order), the local part of his e-mail address).
Names = tuple[str, str, str, str, str, str, str, str, tuple[str, ...], str]


class NameDraw:
    """Draws customers' names: 86 % people, 11 % companies, 3 % public bodies of the country."""

    def __init__(self, country: str, rng: random.Random, pool_size: int) -> None:
        self.rng = rng
        self.given = _names(FEMALE) + _names(MALE)
        self.surnames = _names(SURNAMES)
        self.suffixes = LEGAL_SUFFIXES.get(country, ("S.A.",))
        self.cities = CITIES.get(country, CITIES["EC"])
        # People are drawn from a pool of name combinations (a real base has many "María García" too).
        self.pool = min(PEOPLE_POOL, max(pool_size, 100))
        self.people = [self._person() for _ in range(self.pool)]

    def _person(self) -> Names:
        rng = self.rng
        given, s1 = rng.choice(self.given), rng.choice(self.surnames)
        if rng.random() < 0.85:
            s2 = rng.choice(self.surnames)
            last, last_key = f"{s1.text} {s2.text}", f"{s1.key} {s2.key}"
        else:
            last, last_key = s1.text, s1.key
        local = f"{given.ascii}.{s1.ascii}" if rng.random() < 0.7 else f"{given.ascii[0]}{s1.ascii}"
        sort_name = f"{given.key} {last_key}"
        # As customer_search_text: first and last name are separate parts, and equal parts count once.
        search = given.key if given.key == last_key else sort_name
        display = f"{given.text} {last}"
        return "person", given.text, last, "", "", "", display, sort_name, (search,), local

    def draw(self) -> Names:
        """The next customer's names."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.86:
            return self.people[int(rng.random() * self.pool)]
        if roll < 0.97:
            trade = f"{rng.choice(COMPANY_FIRST)} {rng.choice(COMPANY_SECOND)}"
            legal = f"{trade} {rng.choice(self.suffixes)}"
            sort_name = _normalized(trade)
            contact, parts = "", (_normalized(legal), sort_name)
            if rng.random() < 0.7:
                given, s1 = rng.choice(self.given), rng.choice(self.surnames)
                contact, parts = f"{given.text} {s1.text}", (*parts, f"{given.key} {s1.key}")
            local = rng.choice(("ventas", "info", "contabilidad", "compras", "gerencia"))
            return "company", "", "", legal, trade, contact, trade, sort_name, parts, local
        legal = f"{rng.choice(GOVERNMENT)} {rng.choice(self.cities)}"
        local = rng.choice(("compras", "tesoreria", "info", "adquisiciones"))
        sort_name = _normalized(legal)
        return "government", "", "", legal, "", "", legal, sort_name, (sort_name,), local
